package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.config.ServiceConfig.Security.Predictions;

/**
 * The HTTP policy {@code mlp-predictions} of {@code POST /predict}: open to anyone, or to any authenticated caller
 * with {@code mlp.security.predictions=authenticated} (read at runtime, as {@link OperatorEndpointsPolicy} explains).
 */
@ApplicationScoped
public class PredictionsPolicy implements HttpSecurityPolicy {

    @Inject
    ServiceConfig config;

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (config.security().predictions() == Predictions.OPEN) {
            return CheckResult.permit();
        }
        return identity.map(caller -> caller.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return "mlp-predictions";
    }
}
