package dev.rtpe.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Real shopper behaviour for fixtures: the REES46 October 2019 sample (1,000 rows of a multi-category
 * store) turned into {@code browse-events} / {@code cart-events} messages of our contract.
 */
public final class Rees46Fixture {
    private static final String RESOURCE = "/data/rees46-2019-Oct-sample.csv";

    /** One raw input message and where it goes. */
    public record RawEvent(String topic, String customerId, String eventId, byte[] json) {}

    private Rees46Fixture() {}

    public static List<RawEvent> events(String browseTopic, String cartTopic) {
        List<RawEvent> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Rees46Fixture.class.getResourceAsStream(RESOURCE), StandardCharsets.UTF_8))) {
            in.readLine();
            String line;
            int row = 0;
            while ((line = in.readLine()) != null) {
                row++;
                events.add(toEvent(line.split(",", -1), row, browseTopic, cartTopic));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    // event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
    private static RawEvent toEvent(String[] c, int row, String browseTopic, String cartTopic) throws JsonProcessingException {
        String type;
        switch (c[1]) {
            case "view": type = "view_item"; break;
            case "cart": type = "add_to_cart"; break;
            case "remove_from_cart": type = "remove_from_cart"; break;
            case "purchase": type = "purchase"; break;
            default: throw new IllegalArgumentException("unexpected REES46 event type " + c[1]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        String eventId = "rees46-" + row;
        m.put("schema_version", 1);
        m.put("event_id", eventId);
        m.put("event_type", type);
        m.put("event_time", c[0].replace(" UTC", "Z").replace(' ', 'T'));
        m.put("customer_id", c[7]);
        m.put("session_id", c[8]);
        m.put("channel", "web");
        double price = Double.parseDouble(c[6]);
        if (type.equals("purchase")) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("product_id", c[2]);
            if (!c[4].isEmpty()) {
                item.put("category", c[4]);
            }
            item.put("price", price);
            item.put("quantity", 1);
            m.put("order_id", "o-" + row);
            m.put("items", List.of(item));
            m.put("value", price);
        } else {
            m.put("product_id", c[2]);
            if (!c[4].isEmpty()) {
                m.put("category", c[4]);
            }
            if (!c[5].isEmpty()) {
                m.put("brand", c[5]);
            }
            m.put("price", price);
        }
        m.put("currency", "USD");
        String topic = type.equals("view_item") ? browseTopic : cartTopic;
        return new RawEvent(topic, c[7], eventId, Contracts.JSON.writeValueAsBytes(m));
    }
}
