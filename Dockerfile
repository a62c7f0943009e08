# Taxiway container image: build with the toolchain, run on a slim image as an unprivileged user.
#   docker build -t taxiway .
#   docker run -p 8000:8000 -v taxiway-data:/data taxiway
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary is reachable.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TAXIWAY_CONFIG=/etc/taxiway/taxiway.yaml \
    TAXIWAY_HOST=0.0.0.0 \
    TAXIWAY_SQLITE_PATH=/data/taxiway.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
# The example config is a starting point only: mount your own at /etc/taxiway/taxiway.yaml.
COPY config/taxiway.yaml /etc/taxiway/taxiway.yaml
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000
# /_health/ needs no credentials: 200 while the store answers, 503 when it does not or while draining.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "require('http').get('http://127.0.0.1:8000/_health/',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
# SIGTERM drains requests in flight (server.shutdown_grace_seconds) before the process exits; give
# the container at least that long to stop (docker stop -t, or stop_grace_period in compose).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/taxiway.js"]
CMD ["serve"]
