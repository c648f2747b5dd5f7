package org.streamingmlp.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;
import org.streamingmlp.learner.FeatureScaling;
import org.streamingmlp.learner.TrainingState;
import org.streamingmlp.optim.AdamW;

/**
 * Checkpoints in a directory, one sub-directory each ({@code checkpoint-000000000042} for model version 42):
 * <pre>
 *   model.safetensors      parameters and running statistics, PyTorch names, [out, in] weights
 *   optimizer.safetensors  AdamW moments exp_avg and exp_avg_sq over the flat parameter buffer (F64)
 *   state.json             step, schedule position, version, feature scaling, consumer offsets, early-stopping and
 *                          drift state, the configuration, SHA-256 of the files ({@link StateFile})
 *   COMMIT                 SHA-256 of state.json: a checkpoint without a matching COMMIT does not exist
 * </pre>
 * A checkpoint is written into a hidden temporary directory, every file and the directory are fsync'ed, and it is
 * renamed into place atomically, so a half-written checkpoint is never visible. The newest {@code keep} are kept.
 * Loading takes the newest valid one; a corrupt one is reported and the previous one is used. A failed write (a full
 * disk) removes its temporary directory; one left by a crash is removed at startup
 * ({@link #removeStaleTemporaries()}), so failures never fill the disk further.
 */
public final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "checkpoint-";
    static final String MODEL = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "state.json";
    static final String COMMIT = "COMMIT";
    static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path directory;
    private final int keep;

    public CheckpointStore(Path directory, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("mlp.checkpoint.keep must be >= 1, got " + keep);
        }
        this.directory = directory;
        this.keep = keep;
    }

    /** Writes the checkpoint atomically, then removes all but the newest {@code keep}; returns its directory. */
    public Path write(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(directory);
        String name = String.format("%s%012d", PREFIX, checkpoint.modelVersion());
        Path target = directory.resolve(name);
        Path temporary = directory.resolve("." + name + TEMPORARY_SUFFIX);
        deleteRecursively(temporary);
        Files.createDirectory(temporary);
        try {
            writeInto(temporary, target, checkpoint);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
        syncDirectory(directory);
        prune();
        return target;
    }

    /**
     * Removes the temporary directories that a write interrupted by a crash left behind (a failed write removes its
     * own); returns how many. Called at startup, before any write.
     */
    public int removeStaleTemporaries() throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        List<Path> stale;
        try (Stream<Path> entries = Files.list(directory)) {
            stale = entries.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("." + PREFIX) && name.endsWith(TEMPORARY_SUFFIX);
            }).toList();
        }
        for (Path p : stale) {
            deleteRecursively(p);
            LOG.warnf("Removed %s, left by an interrupted checkpoint write", p);
        }
        return stale.size();
    }

    private void writeInto(Path temporary, Path target, Checkpoint checkpoint) throws IOException {
        TrainingState training = checkpoint.training();
        byte[] model = SafeTensors.encode(modelTensors(checkpoint), Map.of("format", "pt"));
        Map<String, SafeTensors.Tensor> moments = new LinkedHashMap<>();
        AdamW.State adam = training.optimizer();
        moments.put("exp_avg", new SafeTensors.Tensor(new long[] {adam.firstMoment().length}, adam.firstMoment(), true));
        moments.put("exp_avg_sq", new SafeTensors.Tensor(new long[] {adam.secondMoment().length}, adam.secondMoment(), true));
        byte[] optimizer = SafeTensors.encode(moments, Map.of("step", Long.toString(adam.step())));
        byte[] state = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(stateFile(checkpoint, model, optimizer));
        writeSynced(temporary.resolve(MODEL), model);
        writeSynced(temporary.resolve(OPTIMIZER), optimizer);
        writeSynced(temporary.resolve(STATE), state);
        writeSynced(temporary.resolve(COMMIT), sha256(state).getBytes(StandardCharsets.US_ASCII));
        syncDirectory(temporary);
        deleteRecursively(target);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the checkpoint directory " + directory + " does not support atomic renames", e);
        }
    }

    /** The newest checkpoint that passes its checksums; corrupt ones are logged and skipped. */
    public Optional<Checkpoint> loadNewestValid() throws IOException {
        for (Path candidate : checkpointsNewestFirst()) {
            try {
                Checkpoint checkpoint = read(candidate);
                LOG.infof("Restoring checkpoint %s (model version %d, step %d)", candidate.getFileName(),
                        checkpoint.modelVersion(), checkpoint.training().step());
                return Optional.of(checkpoint);
            } catch (IOException | RuntimeException e) {
                LOG.errorf("Checkpoint %s is unusable (%s); falling back to the previous one", candidate, e.getMessage());
            }
        }
        return Optional.empty();
    }

    public List<Path> checkpointsNewestFirst() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        }
    }

    static Checkpoint read(Path dir) throws IOException {
        byte[] state = Files.readAllBytes(dir.resolve(STATE));
        String commit = Files.readString(dir.resolve(COMMIT), StandardCharsets.US_ASCII).strip();
        if (!commit.equals(sha256(state))) {
            throw new IOException(STATE + " does not match its COMMIT checksum");
        }
        StateFile file = JSON.readValue(state, StateFile.class);
        byte[] model = Files.readAllBytes(dir.resolve(MODEL));
        byte[] optimizer = Files.readAllBytes(dir.resolve(OPTIMIZER));
        if (!sha256(model).equals(file.sha256().get(MODEL)) || !sha256(optimizer).equals(file.sha256().get(OPTIMIZER))) {
            throw new IOException("a tensor file does not match the checksum in " + STATE);
        }
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.decode(model);
        Map<String, double[]> parameters = new LinkedHashMap<>();
        Map<String, double[]> buffers = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (file.buffers().contains(name)) {
                buffers.put(name, t.values());
            } else {
                parameters.put(name, t.values());
                shapes.put(name, t.shape());
            }
        });
        Map<String, SafeTensors.Tensor> moments = SafeTensors.decode(optimizer);
        AdamW.State adam = new AdamW.State(Long.parseLong(SafeTensors.metadata(optimizer).get("step")),
                moments.get("exp_avg").values(), moments.get("exp_avg_sq").values());
        StateFile.Scaling scaling = file.scaling();
        FeatureScaling standardization = scaling.count() == 0 ? FeatureScaling.IDENTITY
                : new FeatureScaling(scaling.count(), scaling.mean(), scaling.m2());
        TrainingState training = new TrainingState(file.step(), file.skippedUpdates(), parameters, buffers, adam,
                standardization);
        return new Checkpoint(file.modelVersion(), file.examplesSeen(),
                new Checkpoint.Learning(training, file.scheduleOrigin(), shapes, file.monitor()),
                new Checkpoint.Positions(file.offsets().training(), file.offsets().validation()),
                file.configuration() == null ? new TreeMap<>() : file.configuration());
    }

    private static Map<String, SafeTensors.Tensor> modelTensors(Checkpoint checkpoint) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        checkpoint.training().parameters().forEach((name, values) ->
                tensors.put(name, tensor(checkpoint.learning().shapes().get(name), values)));
        checkpoint.training().buffers().forEach((name, values) ->
                tensors.put(name, tensor(new long[] {values.length}, values)));
        return tensors;
    }

    /** F32 when every value is a float (the service trains in float32), F64 otherwise: exact either way. */
    private static SafeTensors.Tensor tensor(long[] shape, double[] values) {
        boolean float64 = false;
        for (double v : values) {
            if ((double) (float) v != v && !Double.isNaN(v)) {
                float64 = true;
                break;
            }
        }
        return new SafeTensors.Tensor(shape, values, float64);
    }

    private static StateFile stateFile(Checkpoint c, byte[] model, byte[] optimizer) {
        TrainingState training = c.training();
        FeatureScaling scaling = training.standardization();
        return new StateFile(StateFile.FORMAT, java.time.Instant.now().toString(), c.modelVersion(), training.step(),
                training.skippedUpdates(), c.learning().scheduleOrigin(), c.examplesSeen(),
                List.copyOf(training.buffers().keySet()),
                new StateFile.Scaling(scaling.count(), scaling.mean(), scaling.sumOfSquaredDeviations()),
                new StateFile.Offsets(new TreeMap<>(c.positions().training()), new TreeMap<>(c.positions().validation())),
                c.learning().monitor(), c.configuration(), Map.of(MODEL, sha256(model), OPTIMIZER, sha256(optimizer)));
    }

    private void prune() throws IOException {
        List<Path> all = checkpointsNewestFirst();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteRecursively(old);
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic there.
            LOG.debugf("Could not fsync directory %s: %s", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not remove %s after a failed checkpoint write (%s); it is removed at the next startup",
                    path, e.getMessage());
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
