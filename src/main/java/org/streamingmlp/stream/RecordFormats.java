package org.streamingmlp.stream;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.nn.LossKind;

/**
 * The wire formats of the input topics, chosen per record by its {@value #HEADER} header: {@value #JSON} (also
 * when the header is absent) or {@value #BINARY} ({@link BinaryLayout}). Media-type parameters
 * ({@code ; charset=utf-8}) and letter case are ignored. Both decoders share one {@link RecordValidator}.
 */
public final class RecordFormats {

    /** The record header that names the format of the value. */
    public static final String HEADER = "content-type";
    public static final String JSON = "application/json";
    public static final String BINARY = "application/vnd.streaming-mlp.v1+binary";

    private final JsonRecordDecoder json;
    private final BinaryRecordDecoder binary;

    public RecordFormats(ObjectMapper mapper, int inputSize, int outputSize, LossKind loss, int maxBytes) {
        RecordValidator validator = new RecordValidator(inputSize, outputSize, loss, maxBytes);
        this.json = new JsonRecordDecoder(mapper, validator);
        this.binary = new BinaryRecordDecoder(validator);
    }

    /**
     * The decoder for a record whose {@value #HEADER} header has this value; null means no header.
     *
     * @throws InvalidRecordException {@code unsupported-format} for any other content type
     */
    public RecordDecoder decoderFor(String contentType) throws InvalidRecordException {
        if (contentType == null) {
            return json;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters))
                .trim().toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case JSON -> json;
            case BINARY -> binary;
            default -> throw new InvalidRecordException(RejectReason.UNSUPPORTED_FORMAT,
                    "content-type '" + contentType + "' is neither " + JSON + " nor " + BINARY);
        };
    }

    /** The JSON decoder, for the REST API. */
    public JsonRecordDecoder json() {
        return json;
    }
}
