#!/bin/sh
# Writes Mosquitto's password file from the environment at every start (the password never sits in the
# image or in a mounted file), then runs the broker in the foreground so it receives the stop signal.
set -eu
: "${TIERGATE_MQTT_PASSWORD:?set TIERGATE_MQTT_PASSWORD in docker/.env}"
umask 077
mkdir -p /mosquitto/data
rm -f /mosquitto/data/passwd
touch /mosquitto/data/passwd
mosquitto_passwd -b /mosquitto/data/passwd tiergate "$TIERGATE_MQTT_PASSWORD"
chown -R mosquitto:mosquitto /mosquitto/data 2>/dev/null || true
exec mosquitto -c /mosquitto/config/mosquitto.conf
