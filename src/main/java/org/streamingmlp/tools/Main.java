package org.streamingmlp.tools;

import java.util.Arrays;
import java.util.List;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The artifact's entry point: without arguments it starts the service; {@code feed} and {@code export} run a data
 * tool and exit, without starting the service (no HTTP port, no consumers, no model):
 * <pre>
 *   java -jar target/quarkus-app/quarkus-run.jar                      # the service
 *   java -jar target/quarkus-app/quarkus-run.jar feed FILE [options]  # stream a file into the topics
 *   java -jar target/quarkus-app/quarkus-run.jar export [options]     # the model as safetensors + JSON
 * </pre>
 * The tools use plain Kafka and HTTP clients; the service's classes start only through {@link Quarkus#run}.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        String command = args.length == 0 ? "" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        switch (command) {
            case "feed" -> exit(() -> FeedCommand.run(rest), FeedOptions.USAGE);
            case "export" -> exit(() -> ExportCommand.run(rest), ExportCommand.USAGE);
            case "help", "--help", "-h" -> {
                System.out.println("""
                        streaming-mlp: no arguments starts the service; tools:
                        """ + FeedOptions.USAGE + "\n\n" + ExportCommand.USAGE);
            }
            default -> Quarkus.run(args);
        }
    }

    private interface Tool {
        Object run() throws Exception;
    }

    private static void exit(Tool tool, String usage) {
        int status;
        try {
            tool.run();
            status = 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n\n" + usage);
            status = 2;
        } catch (Exception e) {
            System.err.println("error: " + e);
            status = 1;
        }
        System.exit(status);
    }
}
