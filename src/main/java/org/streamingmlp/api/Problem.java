package org.streamingmlp.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of an error answer.
 *
 * @param reason a reason code, as in the dead-letter topic's {@code dead-letter-reason} header (bad requests only)
 * @param error  what went wrong, in words
 * @param index  the position of the bad request in an array of requests (absent for a single one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String reason, String error, Integer index) {

    static Problem of(String error) {
        return new Problem(null, error, null);
    }
}
