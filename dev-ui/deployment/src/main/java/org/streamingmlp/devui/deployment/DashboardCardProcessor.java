package org.streamingmlp.devui.deployment;

import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;

/**
 * The service's card in Dev UI ({@code /q/dev-ui}, dev mode only): a link to the live dashboard, which the service
 * serves at {@value #DASHBOARD} under the HTTP root path. The card opens the dashboard in a tab of its own rather
 * than inside Dev UI's frame: it is a page of the application, the same one operators open in production.
 */
public class DashboardCardProcessor {

    /** The dashboard's path relative to {@code quarkus.http.root-path}, where the service's DashboardResource serves it. */
    static final String DASHBOARD = "dashboard";

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    CardPageBuildItem dashboardCard(HttpRootPathBuildItem httpRoot) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.externalPageBuilder("Live dashboard")
                .url(httpRoot.resolvePath(DASHBOARD))
                .isHtmlContent()
                .doNotEmbed()
                .icon("font-awesome-solid:chart-line"));
        return card;
    }
}
