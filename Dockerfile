# syntax=docker/dockerfile:1
# commit-gate production image: `docker build -t commit-gate .` (README.md, "Running in Docker").
#
# CI has no Docker engine, so test/e2e/production-recipe.test.ts replays this file
# (test/support/dockerfile-recipe.ts reads its COPY, WORKDIR, RUN, ENV, HEALTHCHECK and CMD lines)
# on a clean copy of the project, then starts CMD with ENV and checks /healthz, the HEALTHCHECK
# command and a /commit round trip. Keep to those instructions; RUN lines of the final stage set
# up the OS (user, /data) and are the only ones the replay skips.

# Node 24 (LTS, maintained to April 2028): every better-sqlite3 12.x release lists it in engines
# and ships a prebuilt binary for it. Node 26 became Active LTS in October 2026 and 12.10+ accepts
# it too; move to it once its better-sqlite3 and resvg binaries have a few months of releases.
# The tests run on Node 20 as well (package.json "engines").
#
# ---- build: TypeScript → dist/, and the native better-sqlite3 module (node-gyp needs python3,
# make and g++, which the full bookworm image has; the slim runtime image does not).
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Then drop dev dependencies, and better-sqlite3's sources and compiler leftovers (about 30 MB):
# only build/Release/better_sqlite3.node is loaded at run time. Of the DejaVu fonts (12 MB) the
# chart loads two (src/slack/digest-chart.ts); the licence stays.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
 && find node_modules/better-sqlite3/build -type f ! -name better_sqlite3.node -delete \
 && find node_modules/dejavu-fonts-ttf/ttf -type f ! -name DejaVuSans.ttf ! -name DejaVuSans-Bold.ttf -delete

# ---- runtime: production dependencies, compiled code and migrations only.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_PATH=/data/commit-gate.db \
    COMMIT_GATE_CONFIG=/app/commit-gate.yml
WORKDIR /app
# package.json carries "type": "module", which makes node load dist/*.js as ES modules.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# create-db.ts finds migrations at ../../migrations from dist/db/: /app/migrations.
COPY migrations ./migrations
# The image's own `node` user (uid 1000) owns the database folder; nothing else is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# No curl in slim images; node has fetch. PORT is served in Socket Mode too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node, not npm: SIGTERM from `docker stop` reaches the bot, which shuts down cleanly.
# Operator commands run the same way: `docker exec <container> node dist/cli.js backup /data/x.db`.
CMD ["node", "dist/main.js"]
