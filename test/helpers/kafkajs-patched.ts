// Integration tests that drive kafkajs directly (producers, consumers and admins as oracles or
// fixtures) get it patched as kadm's own adapter patches it (src/kafka/kafkajs.ts): unpatched,
// kafkajs 2.2.4 arms negative timers and Node 24 prints a TimeoutNegativeWarning into the output.
import {loadKafkajs} from '../../src/kafka/kafkajs.js'

await loadKafkajs()
