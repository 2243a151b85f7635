package jgrub.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON as QMP sends it and as the reports are written. */
class JsonTest {

    @Test
    void shutdownEvent_parses() {
        Object event = Json.parse("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": "
                + "\"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-reset\"}}");
        assertEquals(Map.of("timestamp", Map.of("seconds", 1700000000L, "microseconds", 5L), "event", "SHUTDOWN",
                "data", Map.of("guest", true, "reason", "guest-reset")), event);
    }

    @Test
    void stringsWithEscapes_roundTrip() {
        String text = "EAX=1\r\n\"quoted\" \\ tab\t\u0001";
        assertEquals(text, Json.parse(Json.quote(text)));
        assertEquals(java.util.Arrays.asList(1L, -2.5, "\u00e9", null, false), Json.parse("[1, -2.5, \"\\u00e9\", null, false]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\" 1}", "[1,]", "\"open", "{\"a\": tru}", "[1] x", "\"\\u12\""})
    void malformed_isRefusedWithAnOffset(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals(true, e.getMessage().startsWith("malformed JSON at offset "), e.getMessage());
    }

    @Test
    void written_parsesBackToTheSameValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "Debian GNU/Linux, with Xen \"4.17\"\n");
        value.put("line", 12L);
        value.put("ok", false);
        value.put("none", null);
        value.put("list", Arrays.asList(1L, "\u0001", List.of()));
        String text = Json.write(value);
        assertEquals("{\"name\":\"Debian GNU/Linux, with Xen \\\"4.17\\\"\\n\",\"line\":12,\"ok\":false,"
                + "\"none\":null,\"list\":[1,\"\\u0001\",[]]}", text);
        assertEquals(value, Json.parse(text));
    }

    @Test
    void aValueWithNoJsonForm_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(new Object())));
    }
}
