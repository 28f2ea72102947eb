package dev.rtpe.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.rtpe.common.JsonWriting;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.ShopperEventWriter;
import dev.rtpe.common.WatermarkRecord;

/**
 * Writes {@code shopper-events} as ingest does, for tests of a downstream job alone: the events, and
 * after every few of them ingest's watermark records in every partition (the highest event time so
 * far minus the out-of-orderness), then a last watermark past the last event.
 */
public final class ShopperEventsTopic {
    private ShopperEventsTopic() {}

    public static List<ProducerRecord<byte[], byte[]>> records(String topic, int partitions, List<ShopperEvent> events,
                                                               long maxOutOfOrdernessMillis, long finalWatermark) {
        ShopperEventWriter writer = new ShopperEventWriter();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        long max = Long.MIN_VALUE;
        int i = 0;
        for (ShopperEvent e : events) {
            out.add(event(topic, writer, e));
            max = Math.max(max, e.eventTime);
            if (++i % 20 == 0) {
                out.addAll(watermarks(topic, partitions, max - maxOutOfOrdernessMillis));
            }
        }
        out.addAll(watermarks(topic, partitions, finalWatermark));
        return out;
    }

    public static ProducerRecord<byte[], byte[]> event(String topic, ShopperEventWriter writer, ShopperEvent e) {
        return new ProducerRecord<>(topic, e.customerKey.getBytes(StandardCharsets.UTF_8), writer.write(e));
    }

    /** One ingest instance's watermark, in every partition. */
    public static List<ProducerRecord<byte[], byte[]>> watermarks(String topic, int partitions, long watermark) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        JsonWriting json = new JsonWriting();
        for (int p = 0; p < partitions; p++) {
            out.add(new WatermarkRecord(watermark, 0, 1, p, System.currentTimeMillis()).toProducerRecord(topic, json));
        }
        return out;
    }

    public static boolean isWatermark(ConsumerRecord<byte[], byte[]> r) {
        return WatermarkRecord.isMarked(r.headers());
    }

    public static List<ConsumerRecord<byte[], byte[]>> eventsOnly(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().filter(r -> !isWatermark(r)).collect(java.util.stream.Collectors.toList());
    }

    /**
     * What a downstream job would see as late: events that come, in their partition, after the
     * ingest watermark (the lowest over the instances) has passed their time. Also checks that
     * every watermark record meets the schema and has no key.
     */
    public static List<String> eventsBehindTheirWatermark(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> e : byPartition.entrySet()) {
            e.getValue().sort(Comparator.comparingLong(ConsumerRecord::offset));
            long[] latest = new long[0];
            for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                JsonNode json = Contracts.JSON.readTree(r.value());
                if (isWatermark(r)) {
                    problems.addAll(Contracts.violations("shopper-events", json));
                    if (r.key() != null) {
                        problems.add("a watermark record with a key at " + r.offset());
                    }
                    int n = json.get("ingest_subtasks").asInt();
                    if (latest.length != n) {
                        latest = new long[n];
                        java.util.Arrays.fill(latest, Long.MIN_VALUE);
                    }
                    int i = json.get("ingest_subtask").asInt();
                    latest[i] = Math.max(latest[i], json.get("watermark").asLong());
                } else {
                    long watermark = java.util.Arrays.stream(latest).min().orElse(Long.MIN_VALUE);
                    long time = json.get("event_time").asLong();
                    if (time < watermark) {
                        problems.add(json.get("event_id").asText() + " at " + time + " after watermark " + watermark
                                + " in partition " + e.getKey());
                    }
                }
            }
        }
        return problems;
    }
}
