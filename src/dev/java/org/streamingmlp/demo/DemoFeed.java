package org.streamingmlp.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.streamingmlp.tools.FeedCommand;

/**
 * Dev mode's demo: as soon as the service has started, streams Fashion-MNIST into {@code mlp.train},
 * {@code mlp.validation} and {@code mlp.predict} with the {@code feed} command's own code, until the service stops.
 * So {@code ./mvnw quarkus:dev} alone shows a model learning (the progress lines, the dashboard).
 *
 * <p>The data: the full dataset when Debian's {@code dataset-fashion-mnist} is installed, otherwise the 2,000 images
 * shipped in {@code data/fashion-mnist-2000}. Each image is drawn once into one split ({@code demo.validation-fraction}
 * to validation, {@code demo.request-fraction} sent unlabelled as prediction requests, the rest to training), and
 * the passes repeat in a new shuffled order, at {@code demo.rate} records per second.
 *
 * <p>Keys (outside {@code mlp.*}, which maps to the service's configuration; read only here, in dev builds):
 * {@code demo.enabled} (true), {@code demo.rate} (2000), {@code demo.data} (/usr/share/datasets/fashion-mnist),
 * {@code demo.validation-fraction} (0.1), {@code demo.request-fraction} (0.05), {@code demo.encoding} (binary).
 * Like the broker launcher, a dev-only class in {@code src/dev/java}, left out of the packaged application.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DemoFeed {

    private static final Logger LOG = Logger.getLogger(DemoFeed.class);
    static final String INSTALLED = "/usr/share/datasets/fashion-mnist";
    static final String SHIPPED = "data/fashion-mnist-2000";
    private static final String IMAGES = "train-images-idx3-ubyte.gz";

    @Inject
    Config config;

    private volatile boolean stopping;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        if (!config.getOptionalValue("demo.enabled", Boolean.class).orElse(true)) {
            LOG.info("Demo feed off (demo.enabled=false): the service waits for data on its topics");
            return;
        }
        String dataDir = config.getOptionalValue("demo.data", String.class).orElse(INSTALLED);
        Optional<Path> images = images(dataDir);
        if (images.isEmpty()) {
            LOG.warnf("Demo feed off: no %s in %s nor in %s", IMAGES, dataDir, SHIPPED);
            return;
        }
        double rate = config.getOptionalValue("demo.rate", Double.class).orElse(2000.0);
        String validation = config.getOptionalValue("demo.validation-fraction", String.class).orElse("0.1");
        String requests = config.getOptionalValue("demo.request-fraction", String.class).orElse("0.05");
        String encoding = config.getOptionalValue("demo.encoding", String.class).orElse("binary");
        String bootstrap = config.getOptionalValue("kafka.bootstrap.servers", String.class).orElse("localhost:9092");
        List<String> args = List.of(images.get().toString(), "--bootstrap", bootstrap,
                "--topic", topic("mlp.topics.train", "mlp.train"),
                "--validation-topic", topic("mlp.topics.validation", "mlp.validation"),
                "--request-topic", topic("mlp.topics.predict", "mlp.predict"),
                "--validation-fraction", validation, "--request-fraction", requests, "--encoding", encoding,
                "--rate", Double.toString(rate), "--repeat", "0", "--shuffle");
        LOG.infof("Demo feed: streaming Fashion-MNIST from %s (%s) at %s records/s until stopped: %s of the images "
                        + "to validation, %s sent as prediction requests, the rest to training. "
                        + "Dashboard: http://localhost:%s/dashboard. Bare service: -Ddemo.enabled=false",
                images.get(), images.get().startsWith(INSTALLED) ? "the full dataset, 60,000 images"
                        : "2,000 images shipped in the repository; apt-get install dataset-fashion-mnist for all",
                String.format(Locale.ROOT, "%.0f", rate), validation, requests,
                config.getOptionalValue("quarkus.http.port", String.class).orElse("8080"));
        stopping = false;
        thread = new Thread(() -> {
            try {
                FeedCommand.run(args, () -> stopping);
            } catch (Exception e) {
                if (!stopping) {
                    LOG.errorf("Demo feed stopped: %s", e);
                }
            }
        }, "demo-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** Before the Kafka clients and the broker close (they do after ShutdownEvent). */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join(5_000);
        }
    }

    private String topic(String key, String fallback) {
        return config.getOptionalValue(key, String.class).orElse(fallback);
    }

    /** The installed dataset, else the shipped subset (dev mode runs in the project directory or target/). */
    static Optional<Path> images(String dataDir) {
        for (Path dir : List.of(Path.of(dataDir), Path.of(SHIPPED), Path.of("..").resolve(SHIPPED))) {
            Path file = dir.resolve(IMAGES);
            if (Files.isRegularFile(file)) {
                return Optional.of(file.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }
}
