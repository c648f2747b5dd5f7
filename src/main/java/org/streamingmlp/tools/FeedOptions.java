package org.streamingmlp.tools;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * What {@code feed} was asked to do (see {@link #USAGE}). Immutable; {@link #parse} checks every value and names
 * the option of a bad one.
 */
record FeedOptions(Path file, String format, Path labels, String labelColumn, String idColumn, String idPrefix,
                   String bootstrap, String topic, String validationTopic, String requestTopic,
                   double validationFraction, double requestFraction, boolean binary, double rate, long repeat,
                   boolean shuffle, long seed, long limit) {

    static final String USAGE = """
            feed FILE [options]: stream a data file into the service's topics
              FILE                       CSV (header line, label column), JSONL (the topics' JSON records) or an
                                         IDX image file (its label file beside it, or --labels); .gz is read too
              --format csv|jsonl|idx     default: from the file name
              --labels FILE              IDX label file
              --label-column NAME        CSV: the label column (default label; absent: prediction requests)
              --id-column NAME           CSV: a column holding record ids (default: none, ids row-N)
              --bootstrap HOST:PORT      Kafka (default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092)
              --topic NAME               where labelled examples go (default mlp.train)
              --validation-fraction F    this share of the examples goes to --validation-topic (default 0)
              --validation-topic NAME    default mlp.validation
              --request-fraction F       this share is sent, without its label, to --request-topic (default 0)
              --request-topic NAME       where requests go: unlabelled records and the request
                                         fraction (default mlp.predict)
              --encoding json|binary     record encoding (default json)
              --rate N                   records per second over all topics (default 0: as fast as possible)
              --repeat N                 passes over the file (default 1; 0: until stopped)
              --shuffle                  a new order every pass, drawn from --seed
              --seed N                   seed of the shuffle and of the split (default 42)
              --limit N                  use the first N records of the file only
            The split is drawn once per record, so a record stays in its split on every pass.""";

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    static FeedOptions parse(List<String> arguments) {
        Deque<String> args = new ArrayDeque<>(arguments);
        Path file = null;
        String format = null;
        Path labels = null;
        String labelColumn = "label";
        String idColumn = null;
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        String bootstrap = env == null || env.isBlank() ? DEFAULT_BOOTSTRAP : env;
        String topic = null;
        String validationTopic = "mlp.validation";
        String requestTopic = "mlp.predict";
        double validationFraction = 0;
        double requestFraction = 0;
        boolean binary = false;
        double rate = 0;
        long repeat = 1;
        boolean shuffle = false;
        long seed = 42;
        long limit = 0;
        while (!args.isEmpty()) {
            String arg = args.pop();
            switch (arg) {
                case "--format" -> format = oneOf(arg, value(args, arg), "csv", "jsonl", "idx");
                case "--labels" -> labels = Path.of(value(args, arg));
                case "--label-column" -> labelColumn = value(args, arg);
                case "--id-column" -> idColumn = value(args, arg);
                case "--bootstrap" -> bootstrap = value(args, arg);
                case "--topic" -> topic = value(args, arg);
                case "--validation-topic" -> validationTopic = value(args, arg);
                case "--request-topic" -> requestTopic = value(args, arg);
                case "--validation-fraction" -> validationFraction = fraction(arg, value(args, arg));
                case "--request-fraction" -> requestFraction = fraction(arg, value(args, arg));
                case "--encoding" -> binary = oneOf(arg, value(args, arg), "json", "binary").equals("binary");
                case "--rate" -> rate = nonNegative(arg, Double.parseDouble(value(args, arg)));
                case "--repeat" -> repeat = (long) nonNegative(arg, Long.parseLong(value(args, arg)));
                case "--shuffle" -> shuffle = true;
                case "--seed" -> seed = Long.parseLong(value(args, arg));
                case "--limit" -> limit = (long) nonNegative(arg, Long.parseLong(value(args, arg)));
                default -> {
                    if (arg.startsWith("--") || file != null) {
                        throw new IllegalArgumentException("unknown argument " + arg);
                    }
                    file = Path.of(arg);
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("no FILE given");
        }
        if (validationFraction + requestFraction > 1) {
            throw new IllegalArgumentException("--validation-fraction + --request-fraction must be <= 1, got "
                    + (validationFraction + requestFraction));
        }
        return new FeedOptions(file, format, labels, labelColumn, idColumn, null, bootstrap, topic, validationTopic,
                requestTopic, validationFraction, requestFraction, binary, rate, repeat, shuffle, seed, limit);
    }

    /** The same options for another file (the demo feeds several files of one dataset). */
    FeedOptions withFile(Path file, Path labels, String idPrefix) {
        return new FeedOptions(file, format, labels, labelColumn, idColumn, idPrefix, bootstrap, topic,
                validationTopic, requestTopic, validationFraction, requestFraction, binary, rate, repeat, shuffle,
                seed, limit);
    }

    /** Labelled records go here unless split off. */
    String trainTopic() {
        return topic != null ? topic : "mlp.train";
    }

    private static String value(Deque<String> args, String option) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.pop();
    }

    private static String oneOf(String option, String value, String... allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + List.of(allowed) + ", got " + value);
    }

    private static double fraction(String option, String value) {
        double f = Double.parseDouble(value);
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(option + " must be in [0, 1], got " + value);
        }
        return f;
    }

    private static double nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a finite number >= 0, got " + value);
        }
        return value;
    }
}
