package dev.rtpe.ceiling;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.rtpe.common.EngineJob;
import dev.rtpe.common.EventLimits;
import dev.rtpe.common.Flags;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.KafkaRecords;
import dev.rtpe.common.Rejection;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.ShopperEventReader;
import dev.rtpe.common.StateTtl;

/**
 * Two reference jobs for {@code scripts/bench.sh}, measured on the same broker and machine as the
 * engine, so its throughput can be read as a share of what this setup allows at all:
 * <ul>
 *   <li>{@code passthrough}: input topics to one output topic, bytes unchanged;</li>
 *   <li>{@code reference}: one stage of real work per event: parse the JSON, key by customer,
 *       update a small RocksDB value, write one JSON record.</li>
 * </ul>
 * Not part of the engine.
 */
public final class CeilingJobs {
    public static final String PASSTHROUGH_TOPIC = "ceiling-passthrough";
    public static final String REFERENCE_TOPIC = "ceiling-reference";
    private static final List<String> INPUTS = List.of("browse-events", "cart-events");

    private CeilingJobs() {}

    public static EngineJob passThrough(String... args) {
        JobSettings settings = JobSettings.from(Flags.parse(args));
        return job("passthrough", settings, env -> input(env, settings, "ceiling-passthrough")
                .sinkTo(KafkaRecords.atLeastOnceSink(settings, to(PASSTHROUGH_TOPIC)))
                .uid("passthrough-sink").name(PASSTHROUGH_TOPIC));
    }

    /** {@code --output-topic} lets one bench run compare settings side by side on one broker. */
    public static EngineJob reference(String... args) {
        Flags flags = Flags.parse(args);
        String output = flags.string("output-topic", REFERENCE_TOPIC);
        JobSettings settings = JobSettings.from(flags);
        return job("reference", settings, env -> input(env, settings, output)
                .flatMap(CeilingJobs::parse).returns(ShopperEvent.class).uid("reference-parse").name("Parse")
                .keyBy((KeySelector<ShopperEvent, String>) e -> e.customerKey, Types.STRING)
                .process(new CountPerCustomer()).uid("reference-count").name("Count per customer")
                .sinkTo(KafkaRecords.atLeastOnceSink(settings, to(output)))
                .uid("reference-sink").name(output));
    }

    private static DataStream<byte[]> input(StreamExecutionEnvironment env, JobSettings settings, String groupId) {
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                .setBootstrapServers(settings.bootstrapServers)
                .setTopics(INPUTS)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), String.join(" + ", INPUTS)).uid(groupId + "-source");
    }

    private static void parse(byte[] value, Collector<ShopperEvent> out) {
        try {
            out.collect(Reader.INSTANCE.read(value, null));
        } catch (Rejection ignored) {
            // the bench sends only valid events
        }
    }

    /** One reader per JVM: it holds no state between records. */
    private static final class Reader {
        static final ShopperEventReader INSTANCE = new ShopperEventReader(EventLimits.defaults());
    }

    /** The one piece of keyed state: events per customer, as a RocksDB value. */
    static final class CountPerCustomer extends KeyedProcessFunction<String, ShopperEvent, byte[]> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("count", Types.LONG);
            d.enableTimeToLive(StateTtl.refreshedOnWrite(Duration.ofDays(1)));
            count = getRuntimeContext().getState(d);
        }

        @Override
        public void processElement(ShopperEvent e, Context ctx, Collector<byte[]> out) throws Exception {
            Long before = count.value();
            long n = before == null ? 1 : before + 1;
            count.update(n);
            out.collect(("{\"customer_key\":\"" + e.customerKey + "\",\"event_id\":\"" + e.eventId + "\",\"events\":" + n + "}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static KafkaRecordSerializationSchema<byte[]> to(String topic) {
        return (value, context, timestamp) -> new ProducerRecord<>(topic, value);
    }

    private interface Builder {
        void build(StreamExecutionEnvironment env);
    }

    private static EngineJob job(String name, JobSettings settings, Builder builder) {
        return new EngineJob() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JobSettings settings() {
                return settings;
            }

            @Override
            public void build(StreamExecutionEnvironment env) {
                builder.build(env);
            }
        };
    }
}
