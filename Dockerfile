# syntax=docker/dockerfile:1
# eksguard's container image: the CLI, for `eksguard webhook` and scheduled `eksguard scan --cluster`
# (deploy/kubernetes). Three stages: compile, production dependencies, and a runtime that holds
# only those and dist/ (the library and the CLI's bundle, dist/cli-bundle/), plus the bin shim and
# package.json the CLI reads its version from.
#   docker build -t eksguard:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts
COPY src ./src
# The CLI's bundle (dist/cli-bundle/) is written by this script after tsc.
COPY scripts/bundle.js ./scripts/
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
# The uid the manifests' securityContext names; nothing in /app is writable by it.
USER 10001:10001
EXPOSE 8443
ENTRYPOINT ["node", "bin/eksguard.js"]
CMD ["--help"]
