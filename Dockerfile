# Tandem on one machine: the server, the sandbox process and every language toolchain.
#   docker compose up --build

# Stage 1: build the web app (needs the dev dependencies: vite, react, monaco).
FROM node:24-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY protocol ./protocol
COPY web ./web
RUN npm run build:web

# Stage 2: the server with runtime dependencies only.
FROM node:24-bookworm-slim
# bubblewrap for the sandbox (setpriv comes with util-linux); the toolchains of its languages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      bubblewrap python3 g++ golang-go openjdk-17-jdk-headless libjavatuples-java ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY protocol ./protocol
COPY server ./server
COPY sandbox ./sandbox
COPY challenges ./challenges
COPY --from=web /app/web/dist ./web/dist

ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    CHALLENGES_DIR=/app/challenges
VOLUME ["/data"]
EXPOSE 3000
CMD ["node", "server/main.ts"]
