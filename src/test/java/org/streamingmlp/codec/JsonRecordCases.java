package org.streamingmlp.codec;

import java.util.List;

/**
 * Single JSON records, good and bad in every way the readers must agree on (types, sizes, duplicates, number
 * ranges, truncations, syntax errors inside an object), shared by the tests that compare a one-pass reader with the
 * tree it replaced: {@code JsonRecordReaderTest} (a Kafka record) and {@code PredictBodyTest} (a {@code POST
 * /predict} body, alone and inside arrays). Each test adds the cases only its input can have.
 */
public final class JsonRecordCases {

    /** Object-shaped records (complete or cut short), for models of 3 features. */
    public static final List<String> RECORDS = List.of(
        "{\"id\":\"r\",\"features\":[0.5,-1,2e2]}",
        "{\"features\":[1,2,3],\"id\":7}",
        "{\"features\":[1,\"2\",3]}",
        "{\"features\":[1,2,null]}",
        "{\"features\":[[1],2,3]}",
        "{\"features\":[1,{\"a\":1},3]}",
        "{\"features\":[1,2]}",
        "{\"features\":[1,2,3,4]}",
        "{\"features\":[]}",
        "{\"features\":[1e39,2,3]}",
        "{\"features\":[1e400,2,3]}",
        "{\"features\":[123456789012345678901234567890,2,3]}",
        "{\"features\":[0.1,0.2,0.30000000000000004]}",
        "{\"features\":[1,2,3],\"features\":[4,5,6]}",
        "{\"features\":[1,2,3],\"features\":\"x\"}",
        "{\"features\":\"x\",\"features\":[1,2,3]}",
        "{\"features\":null}",
        "{\"features\":{\"a\":1}}",
        "{\"id\":null,\"features\":[1,2,3],\"label\":null}",
        "{\"id\":[1],\"features\":[1,2,3]}",
        "{\"id\":1.5,\"features\":[1,2,3]}",
        "{\"id\":\"\\u00e9\\n\",\"features\":[1,2,3],\"weight\":\"x\"}",
        "{\"features\":[1,2,3],\"nested\":{\"a\":[1,{\"b\":null}]}}",
        "{\"features\":[NaN,2,3]}",
        "{\"features\":[1,2,3]",
        "{\"features\":[1,2,",
        "{\"features\":[1,2,3],}",
        "{\"features\":[1,2,3] \"id\":1}",
        "{\"features\":[1 2 3]}",
        "{\"features\":[1,2,3],\"id\":\"unterminated}",
        "{",
        "{}");

    private JsonRecordCases() {
    }
}
