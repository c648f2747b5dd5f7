package org.streamingmlp.kafka;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producers the service builds itself (outside SmallRye's channels): raw bytes, idempotent, acknowledged by all
 * in-sync replicas, with every {@code kafka.*} setting (bootstrap servers, SASL, TLS) the channels get too.
 */
final class ByteProducers {

    private ByteProducers() {
    }

    /**
     * @param kafka    the {@code default-kafka-broker} settings
     * @param clientId the producer's client id, as it shows in the broker's logs and metrics
     * @param settings what this producer adds (a transactional id, a larger request size)
     */
    static KafkaProducer<byte[], byte[]> idempotent(Map<String, Object> kafka, String clientId,
                                                    Map<String, Object> settings) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.putAll(settings);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
