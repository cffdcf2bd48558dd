// Integration tests in this project run against the real Postgres server and MQTT broker.
process.env.TIERGATE_TEST_MODE = 'external';
jest.setTimeout(60_000);
