# The demo feeder of docker/compose.yaml: kcat, a JDK (to run integration-tests/demo/FashionMnistRecords.java as a
# source file) and Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist). Built by compose from the repository
# root; it runs integration-tests/demo/fashion-mnist-demo.sh against the broker it is given.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends kcat openjdk-17-jdk-headless dataset-fashion-mnist \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /feeder
COPY integration-tests/demo/ integration-tests/demo/
RUN chmod 755 integration-tests/demo/*.sh
USER 1001
