"""Root fixtures. Its presence puts ``tests/`` on ``sys.path``, so test modules import the shared
helpers in ``claimkit`` directly."""
