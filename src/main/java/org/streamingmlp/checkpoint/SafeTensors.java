package org.streamingmlp.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. PyTorch reads it with
 * {@code safetensors.torch.load_file(path)}. This writes and reads {@code F32} and {@code F64} tensors.
 */
public final class SafeTensors {

    /** One tensor: row-major values and the shape they have. */
    public record Tensor(long[] shape, double[] values, boolean float64) {

        public Tensor {
            long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (count != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                        + " values, got " + values.length);
            }
        }

        public static Tensor f32(long[] shape, float[] values) {
            double[] wide = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                wide[i] = values[i];
            }
            return new Tensor(shape, wide, false);
        }

        public float[] floats() {
            float[] narrow = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = (float) values[i];
            }
            return narrow;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = (long) t.values().length * (t.float64() ? 8 : 4);
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.float64() ? "F64" : "F32");
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;   // the data starts 8-byte aligned; the header is padded with spaces
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (double v : t.values()) {
                if (t.float64()) {
                    out.putDouble(v);
                } else {
                    out.putFloat((float) v);
                }
            }
        }
        return out.array();
    }

    /** Tensors in file order; the header's {@code __metadata__} (if any) under {@link #metadata(byte[])}. */
    public static Map<String, Tensor> decode(byte[] file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode header = header(in, file);
        int dataStart = 8 + (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode entry = header.get(name);
            boolean float64 = switch (entry.get("dtype").asText()) {
                case "F64" -> true;
                case "F32" -> false;
                default -> throw new IOException("unsupported dtype " + entry.get("dtype") + " for " + name);
            };
            long[] shape = new long[entry.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get("shape").get(i).asLong();
            }
            long begin = entry.get("data_offsets").get(0).asLong();
            long end = entry.get("data_offsets").get(1).asLong();
            int width = float64 ? 8 : 4;
            if (begin < 0 || end < begin || dataStart + end > file.length || (end - begin) % width != 0) {
                throw new IOException("tensor " + name + " lies outside the file");
            }
            double[] values = new double[(int) ((end - begin) / width)];
            ByteBuffer data = ByteBuffer.wrap(file, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; i++) {
                values[i] = float64 ? data.getDouble() : data.getFloat();
            }
            try {
                tensors.put(name, new Tensor(shape, values, float64));
            } catch (IllegalArgumentException e) {
                throw new IOException("tensor " + name + ": " + e.getMessage(), e);
            }
        }
        return tensors;
    }

    public static Map<String, String> metadata(byte[] file) throws IOException {
        JsonNode meta = header(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN), file).get("__metadata__");
        Map<String, String> out = new LinkedHashMap<>();
        if (meta != null) {
            meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static JsonNode header(ByteBuffer in, byte[] file) throws IOException {
        if (file.length < 8) {
            throw new IOException("not a safetensors file: " + file.length + " bytes");
        }
        long length = in.getLong(0);
        if (length < 2 || 8 + length > file.length) {
            throw new IOException("not a safetensors file: header length " + length);
        }
        return JSON.readTree(new String(file, 8, (int) length, StandardCharsets.UTF_8).strip());
    }
}
