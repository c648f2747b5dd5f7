package org.streamingmlp.codec;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.InvalidRecordException;

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
    private final boolean binaryCarriesAllFeatures;

    public RecordFormats(ObjectMapper mapper, int inputSize, int outputSize, LossKind loss, int maxBytes) {
        this(mapper, new RecordRules(inputSize, outputSize, loss, maxBytes));
    }

    /**
     * With a {@link RecordSchema} in the rules: JSON features may be named fields and labels class names. The binary
     * layout stays numeric: with categorical fields in the schema a binary record is {@code unsupported-format}.
     */
    public RecordFormats(ObjectMapper mapper, RecordRules rules) {
        RecordValidator validator = new RecordValidator(rules);
        this.json = new JsonRecordDecoder(mapper, validator);
        this.binary = new BinaryRecordDecoder(validator);
        RecordSchema schema = rules.schema();
        this.binaryCarriesAllFeatures = schema.features() == null || !schema.features().hasCategorical();
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
            case BINARY -> {
                if (!binaryCarriesAllFeatures) {
                    throw new InvalidRecordException(RejectReason.UNSUPPORTED_FORMAT, "the binary layout carries "
                            + "only numeric features, and the feature schema has categorical fields: send JSON");
                }
                yield binary;
            }
            default -> throw new InvalidRecordException(RejectReason.UNSUPPORTED_FORMAT,
                    "content-type '" + contentType + "' is neither " + JSON + " nor " + BINARY);
        };
    }

    /** The JSON decoder, for the REST API. */
    public JsonRecordDecoder json() {
        return json;
    }
}
