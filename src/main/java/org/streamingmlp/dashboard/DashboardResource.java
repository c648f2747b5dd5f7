package org.streamingmlp.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Multi;

import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The live dashboard: {@code GET /dashboard} is the page (charts drawn by ECharts, served from its mvnpm jar under
 * {@code /_static/echarts/}), {@code GET /dashboard/events} the server-sent events it listens to (the history once,
 * then each update as the trainer reports it). {@code GET /} leads to the page. Everything the page needs is under
 * {@code /dashboard}, so one security rule covers it.
 */
@Path("/")
public class DashboardResource {

    private static final String PAGE = "dashboard/index.html";

    @Inject
    DashboardFeed feed;

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/dashboard")).build();
    }

    @GET
    @Path("dashboard")
    @Produces(MediaType.TEXT_HTML)
    public String page() throws IOException {
        try (InputStream in = DashboardResource.class.getClassLoader().getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IOException(PAGE + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @GET
    @Path("dashboard/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<DashboardUpdate> events() {
        return feed.updates();
    }
}
