package org.streamingmlp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.Test;

/**
 * Defaults live in one place, the {@code @WithDefault}s of {@link ServiceConfig}; the README's configuration table
 * documents them. This test reads the table and fails on every {@code mlp.*} key whose documented default is not
 * the one the service uses.
 */
class ReadmeDefaultsTest {

    private static final Pattern ROW = Pattern.compile("^\\| (`mlp\\.[^|]+) \\| ([^|]+) \\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyDefaultInTheReadmeIsTheServicesDefault() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).build();
        Map<String, String> documented = documentedDefaults(Path.of("README.md"));
        assertTrue(documented.size() > 40, "the README's table was not found: " + documented.keySet());
        List<String> wrong = new ArrayList<>();
        documented.forEach((key, value) -> {
            String actual = config.getConfigValue(key).getValue();
            if (!same(value, actual)) {
                wrong.add(key + ": README says " + value + ", the service uses " + actual);
            }
        });
        assertEquals(List.of(), wrong);
    }

    /** Rows {@code | `key` | `default` | ...}; {@code `a` / `.b` | `1` / `2`} documents two keys. */
    static Map<String, String> documentedDefaults(Path readme) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher row = ROW.matcher(line);
            if (!row.find() || row.group(1).contains("…") || row.group(1).contains("<")) {
                continue;
            }
            List<String> keys = codes(row.group(1));
            List<String> values = codes(row.group(2));
            if (values.size() != keys.size() || !row.group(2).replaceAll("`[^`]*`|/|\\s", "").isEmpty()) {
                continue;   // "unset", or words around the value: nothing literal to compare
            }
            String parent = keys.get(0).substring(0, keys.get(0).lastIndexOf('.'));
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i).startsWith(".") ? parent + keys.get(i) : keys.get(i);
                defaults.put(key, values.get(i));
            }
        }
        return defaults;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    private static boolean same(String documented, String actual) {
        if (documented.equals(actual)) {
            return true;
        }
        try {
            return actual != null && Double.parseDouble(documented) == Double.parseDouble(actual);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
