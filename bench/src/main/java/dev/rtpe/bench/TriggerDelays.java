package dev.rtpe.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * How late abandoned-cart triggers become visible: from a trigger's {@code due_at} (the end of the
 * shopper's inactivity, in event time, which the bench keeps at wall-clock time) to its append on
 * the topic, read committed as messaging services read it. Includes the watermark delay and the
 * wait for the checkpoint that commits the transaction.
 */
final class TriggerDelays {
    private final Histogram delays = new Histogram(600_000, 3);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong dueFrom = new AtomicLong(Long.MAX_VALUE);
    /** Every trigger read, measured or not: zero means none fired at all, not just none in the window. */
    private final AtomicLong seen = new AtomicLong();
    private Thread reader;

    private TriggerDelays() {}

    static TriggerDelays start(String bootstrap) throws InterruptedException {
        TriggerDelays t = new TriggerDelays();
        CountDownLatch ready = new CountDownLatch(1);
        t.reader = new Thread(() -> t.read(bootstrap, ready), "bench-triggers");
        t.reader.start();
        ready.await();
        return t;
    }

    /** Only triggers due from then on count (the warm-up's are not steady state). */
    void measureDueFrom(long millis) {
        dueFrom.set(millis);
    }

    long seen() {
        return seen.get();
    }

    Histogram stopAfter(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis()); // triggers still due: the last carts' stage delay plus a checkpoint
        stop.set(true);
        reader.join();
        return delays;
    }

    private void read(String bootstrap, CountDownLatch ready) {
        try (KafkaConsumer<byte[], byte[]> consumer = BenchDriver.consumer(bootstrap, "latest", "read_committed")) {
            consumer.subscribe(List.of("cart-abandonment-triggers"));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.assignment().forEach(consumer::position);
            ready.countDown();
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    record(r);
                }
            }
        }
    }

    private void record(ConsumerRecord<byte[], byte[]> r) {
        try {
            JsonNode t = BenchDriver.JSON.readTree(r.value());
            long due = t.path("due_at").asLong();
            seen.incrementAndGet();
            if (t.path("type").asText().equals("cart_abandoned") && due >= dueFrom.get()) {
                delays.recordValue(Math.max(0, Math.min(r.timestamp() - due, delays.getHighestTrackableValue())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable trigger", e);
        }
    }
}
