package org.streamingmlp.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.config.ServiceConfig.Security.OperatorEndpoints;

/**
 * The HTTP policy {@code mlp-operator} of the operator read endpoints ({@code GET /model}, {@code /dashboard/**};
 * the paths are in application.properties): role {@code operator} or {@code admin}, unless
 * {@code mlp.security.operator-endpoints=open}. A Java policy rather than a choice between two configured ones
 * because the switch is read at runtime, from the same typed configuration as every other {@code mlp.*} key (a
 * misspelt value fails startup naming the key). A denied anonymous caller gets 401, a denied authenticated one 403.
 */
@ApplicationScoped
public class OperatorEndpointsPolicy implements HttpSecurityPolicy {

    static final String NAME = "mlp-operator";
    static final String OPERATOR = "operator";
    static final String ADMIN = "admin";

    @Inject
    ServiceConfig config;

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (config.security().operatorEndpoints() == OperatorEndpoints.OPEN) {
            return CheckResult.permit();
        }
        return identity.map(caller -> caller.hasRole(OPERATOR) || caller.hasRole(ADMIN)
                ? CheckResult.PERMIT : CheckResult.DENY);
    }

    @Override
    public String name() {
        return NAME;
    }
}
