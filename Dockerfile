# syntax=docker/dockerfile:1
# PanicMode image: one image for every role. Which roles a container runs, as which user and
# with which capabilities, is the deployment's choice (docker-compose.yml, k8s/).
#   docker build -t panicmode:latest .

# ---- build: the shaded launcher jar -------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY contracts contracts
COPY collector-verticle collector-verticle
COPY detector-verticle detector-verticle
COPY action-verticle action-verticle
COPY alert-verticle alert-verticle
COPY storage-verticle storage-verticle
COPY api-verticle api-verticle
COPY launcher launcher
# The reactor reads every module's pom; the bench module's sources are not needed for the jar,
# so only the launcher and what it depends on are built.
COPY bench/pom.xml bench/pom.xml
RUN --mount=type=cache,target=/root/.m2 \
    mvn -q -B -ntp -pl launcher -am package -DskipTests

# ---- runtime --------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# nftables: the nft ban backend; procps, iproute2: snapshot commands (ps, free, uptime, ss);
# sqlite3: online backups of the incident database (docs/operations.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nftables procps iproute2 sqlite3 \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid, so host-side file ownership, nftables rules (meta skuid) and Kubernetes
# securityContext can name it.
RUN groupadd --system --gid 10001 panicmode \
 && useradd --system --uid 10001 --gid panicmode --home-dir /var/lib/panicmode \
      --shell /usr/sbin/nologin panicmode \
 && install -d -o root -g root -m 0700 /var/lib/panicmode/action /var/log/panicmode/action \
      /var/lib/panicmode/agent /var/log/panicmode/agent \
 && install -d -o panicmode -g panicmode -m 0700 /var/lib/panicmode/sensor /var/log/panicmode/sensor \
      /var/lib/panicmode/central /var/log/panicmode/central /var/lib/panicmode/var \
 && install -d -o root -g panicmode -m 0750 /etc/panicmode

COPY --from=build /src/launcher/target/panicmode.jar /usr/share/panicmode/panicmode.jar
COPY bin/panicmode /usr/bin/panicmode
COPY packaging/bin/panicmode-ctl /usr/bin/panicmode-ctl
COPY config/panicmode.yaml /etc/panicmode/config.yaml
COPY packaging/etc/panicmode/ /usr/share/panicmode/etc/
COPY config/examples/ /usr/share/panicmode/examples/
RUN chmod 0755 /usr/bin/panicmode /usr/bin/panicmode-ctl

# The flags bin/panicmode uses by default, spelled out; clustered deployments lower -Xmx to 48m.
ENV PANICMODE_JVM_OPTS="-XX:+UseSerialGC -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m -XX:MaxDirectMemorySize=32m -Dio.netty.allocator.type=unpooled -Dvertx.disableDnsResolver=true"

# The embedded default keeps its data under ./var/, so the working directory is where it goes.
WORKDIR /var/lib/panicmode
USER panicmode
ENTRYPOINT ["/usr/bin/panicmode"]
CMD ["run", "--config", "/etc/panicmode/config.yaml"]
