package org.streamingmlp.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.SourceOffset;
import org.streamingmlp.serving.Answer;
import org.streamingmlp.serving.PredictionService;

/**
 * The Kafka edge of the prediction-request topic (JSON or binary requests, by their content-type header; answers
 * are JSON): every valid request of a polled batch is answered by the {@link PredictionService} in one forward pass
 * and sent to the predictions topic with the request's key; invalid ones become dead letters. Then the batch is
 * delivered in one of two ways:
 * <ul>
 *   <li>at-least-once (default): the batch is acknowledged (its offsets committed) only after every answer and dead
 *   letter is stored ({@link AnswerProducer}), so a crash repeats answers rather than losing them;</li>
 *   <li>exactly-once ({@code mlp.predictions.exactly-once=true}): answers, dead letters and offsets of the batch are
 *   one Kafka transaction ({@link TransactionalAnswers}).</li>
 * </ul>
 * An exception while decoding a request or answering the batch (a failure of the service, not a bad request)
 * dead-letters the requests concerned as {@code processing-failed} and is reported ({@link RecordFailures}); if the
 * batch cannot be delivered at all, the exception goes to {@code failure-strategy=ignore}: logged, and consumption
 * goes on. The channel never stops.
 */
@ApplicationScoped
public class PredictionChannel {

    @Inject
    PredictionService predictions;

    @Inject
    RecordFormats formats;

    @Inject
    DeadLetters deadLetters;

    @Inject
    AnswerProducer answerProducer;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    ServiceConfig config;

    @Inject
    TransactionalAnswers transactional;

    @Inject
    RecordFailures failures;

    /**
     * Answers a polled batch. At least once, the batch's answers are sent and the method returns at once: the batch
     * is acknowledged (its offsets become committable) when the broker has all of them, while the next batch is
     * already being answered, so the channel does not idle for the acknowledgement round trip of every batch.
     * Exactly once, the batch's transaction commits before the method returns: transactions, and the offsets they
     * commit, must follow each other in order.
     */
    @Incoming(Channels.PREDICTION_REQUESTS)
    @Blocking
    public CompletionStage<Void> answer(Message<List<byte[]>> batch) {
        @SuppressWarnings("unchecked")
        ConsumerRecords<byte[], byte[]> records = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .map(m -> (ConsumerRecords<byte[], byte[]>) m.getRecords())
                .orElseThrow(() -> new IllegalStateException("a batch without its Kafka records"));
        CompletableFuture<Void> delivered;
        try {
            List<ProducerRecord<byte[], byte[]>> out = answersAndDeadLetters(records);
            if (config.predictions().exactlyOnce()) {
                transactional.deliver(records, out);
                delivered = CompletableFuture.completedFuture(null);
            } else {
                delivered = answerProducer.send(out);
            }
        } catch (IOException | RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        delivered.whenComplete((done, error) -> {
            if (error == null) {
                batch.ack();
            } else {
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    failures.failed(Channels.PREDICTION_REQUESTS, source(record), error);
                }
                batch.nack(error);   // failure-strategy=ignore: logged, and the channel goes on
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    /** Decode, answer in one forward pass, encode: the records this batch must write, answers first. */
    private List<ProducerRecord<byte[], byte[]>> answersAndDeadLetters(ConsumerRecords<byte[], byte[]> records)
            throws IOException {
        List<ProducerRecord<byte[], byte[]>> rejected = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
        List<PredictionRequest> requests = new ArrayList<>();
        RequestDecoders decoders = new RequestDecoders(formats);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                requests.add(decoders.decoderFor(record).decodeRequest(record.value()));
                accepted.add(record);
            } catch (InvalidRecordException e) {
                rejected.add(deadLetters.record(config.topics().dlq(), record, e));
            } catch (RuntimeException e) {
                failures.failed(Channels.PREDICTION_REQUESTS, source(record), e);
                rejected.add(deadLetters.record(config.topics().dlq(), record, ProcessingFailure.of(e)));
            }
        }
        List<Answer> answered;
        try {
            answered = predictions.answer(requests);
        } catch (RuntimeException e) {
            // the batch's forward pass failed: its requests are dead-lettered, not retried forever
            for (ConsumerRecord<byte[], byte[]> record : accepted) {
                failures.failed(Channels.PREDICTION_REQUESTS, source(record), e);
                rejected.add(deadLetters.record(config.topics().dlq(), record, ProcessingFailure.of(e)));
            }
            accepted.clear();
            answered = List.of();
        }
        List<byte[]> encoded = new AnswerEncoder(mapper).encode(answered);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.count());
        String topic = config.topics().predictions();
        for (int i = 0; i < encoded.size(); i++) {
            out.add(new ProducerRecord<>(topic, accepted.get(i).key(), encoded.get(i)));
        }
        out.addAll(rejected);
        registry.counter("mlp.predictions").increment(answered.size());
        return out;
    }

    private static SourceOffset source(ConsumerRecord<byte[], byte[]> record) {
        return new SourceOffset(record.topic(), record.partition(), record.offset());
    }
}
