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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * How late abandoned-cart triggers become visible: from a trigger's {@code due_at} (the end of the
 * shopper's inactivity, in event time, which the bench keeps at wall-clock time) to the moment a
 * read-committed consumer, as messaging services read, receives it. In two parts: due to appended
 * (the broker's append time: the watermark's wait and the job's work), and appended to visible (the
 * wait for the checkpoint that commits the transaction the record was written in).
 */
final class TriggerDelays {
    private final Histogram visible = new Histogram(600_000, 3);
    private final Histogram appended = new Histogram(600_000, 3);
    private final Histogram commitWait = new Histogram(600_000, 3);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong dueFrom = new AtomicLong(Long.MAX_VALUE);
    /** Every trigger read, measured or not: zero means none fired at all, not just none in the window. */
    private final AtomicLong seen = new AtomicLong();
    private Thread reader;

    TriggerDelays() {}

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

    /** Stops reading once the triggers still due have come: the last carts' stage delay plus a checkpoint. */
    void stopAfter(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        stop.set(true);
        reader.join();
    }

    /** Due to visible: what the target is about. */
    Histogram visible() {
        return visible;
    }

    /** Due to appended, before the commit. */
    Histogram appended() {
        return appended;
    }

    /** Appended to visible: the transaction's commit. */
    Histogram commitWait() {
        return commitWait;
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
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    record(r, now);
                }
            }
        }
    }

    /** One trigger, received at {@code receivedAt}; {@code r.timestamp()} is its append (LogAppendTime). */
    void record(ConsumerRecord<byte[], byte[]> r, long receivedAt) {
        try {
            JsonNode t = BenchDriver.JSON.readTree(r.value());
            long due = t.path("due_at").asLong();
            seen.incrementAndGet();
            if (t.path("type").asText().equals("cart_abandoned") && due >= dueFrom.get()) {
                add(visible, receivedAt - due);
                add(appended, r.timestamp() - due);
                add(commitWait, receivedAt - r.timestamp());
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable trigger", e);
        }
    }

    private static void add(Histogram h, long millis) {
        h.recordValue(Math.max(0, Math.min(millis, h.getHighestTrackableValue())));
    }
}
