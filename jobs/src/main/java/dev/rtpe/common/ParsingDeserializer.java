package dev.rtpe.common;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses inside the Kafka source, so event time is known per partition and watermarks are
 * generated per partition (an idle or lagging partition is seen as such).
 */
public final class ParsingDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final RecordParser parser;

    public ParsingDeserializer(RecordParser parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ParsedRecord> out) {
        if (parser.readsWatermarks() && WatermarkRecord.isMarked(r.headers())) {
            out.collect(parser.parseWatermark(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
        } else {
            out.collect(parser.parse(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
        }
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
