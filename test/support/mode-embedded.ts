// Integration tests in this project run on the embedded default: PGlite and an in-process broker.
delete process.env.DATABASE_URL;
delete process.env.MQTT_URL;
process.env.TIERGATE_TEST_MODE = 'embedded';
jest.setTimeout(60_000);
