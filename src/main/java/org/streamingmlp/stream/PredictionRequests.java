package org.streamingmlp.stream;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.predict.Prediction;
import org.streamingmlp.service.LearningService;

/**
 * Answers the prediction-request topic (JSON or binary requests, by their content-type header; answers are JSON):
 * every valid request of a polled batch is predicted by one snapshot in one forward pass and answered on the
 * predictions topic with the request's key; invalid ones become dead letters. The batch is acknowledged (its
 * offsets committed) only after every answer is stored, so a crash repeats answers rather than losing them
 * (at-least-once). With {@code mlp.predictions.exactly-once=true} the answers, dead letters and offsets of a batch
 * are one Kafka transaction instead ({@link TransactionalAnswers}).
 */
@ApplicationScoped
public class PredictionRequests {

    @Inject
    LearningService learning;

    @Inject
    DeadLetters deadLetters;

    @Inject
    @Channel(Channels.PREDICTIONS)
    MutinyEmitter<byte[]> predictions;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    ServiceConfig config;

    @Inject
    TransactionalAnswers transactional;

    @Incoming(Channels.PREDICTION_REQUESTS)
    @Blocking
    public void answer(ConsumerRecords<byte[], byte[]> records) throws JsonProcessingException {
        if (config.predictions().exactlyOnce()) {
            answerInOneTransaction(records);
            return;
        }
        List<Uni<Void>> sends = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
        List<PredictionRequest> requests = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                requests.add(decode(record));
                accepted.add(record);
            } catch (InvalidRecordException e) {
                sends.add(deadLetters.send(record, e));
            }
        }
        if (!requests.isEmpty()) {
            List<Prediction> answers = predict(requests);
            for (int i = 0; i < answers.size(); i++) {
                byte[] json = json(requests.get(i), answers.get(i));
                OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                        .withKey(accepted.get(i).key())
                        .build();
                sends.add(predictions.sendMessage(Message.of(json).addMetadata(metadata)));
            }
        }
        registry.counter("mlp.predictions").increment(requests.size());
        Sends.awaitAll(sends);
    }

    /** The exactly-once path: the same answers, written with the batch's offsets in one transaction. */
    private void answerInOneTransaction(ConsumerRecords<byte[], byte[]> records) throws JsonProcessingException {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
        List<PredictionRequest> requests = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                requests.add(decode(record));
                accepted.add(record);
            } catch (InvalidRecordException e) {
                out.add(deadLetters.record(config.topics().dlq(), record, e));
            }
        }
        if (!requests.isEmpty()) {
            List<Prediction> answers = predict(requests);
            for (int i = 0; i < answers.size(); i++) {
                out.add(new ProducerRecord<>(config.topics().predictions(), accepted.get(i).key(),
                        json(requests.get(i), answers.get(i))));
            }
        }
        transactional.deliver(records, out);
        registry.counter("mlp.predictions").increment(requests.size());
    }

    private PredictionRequest decode(ConsumerRecord<byte[], byte[]> record) throws InvalidRecordException {
        return learning.formats().decoderFor(ContentTypeHeader.of(record)).decodeRequest(record.value());
    }

    private List<Prediction> predict(List<PredictionRequest> requests) {
        float[][] features = new float[requests.size()][];
        int[][] categories = new int[requests.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = requests.get(i).features();
            categories[i] = requests.get(i).categories();
        }
        return learning.predictor().predict(features, categories);
    }

    private byte[] json(PredictionRequest request, Prediction answer) throws JsonProcessingException {
        return mapper.writeValueAsBytes(PredictionJson.of(request.id(), answer, learning.classNames()));
    }
}
