/**
 * How long a producer's open batch waits for more records before it is sent (as linger.ms: 5 ms
 * in Kafka's Java producer and librdkafka). Fast input fills batches long before; slow input (a
 * terminal, `tail -f`) is sent line by line. Its own module so that `console produce --help` can
 * name it without loading the producer.
 */
export const LINGER_MS = 5
