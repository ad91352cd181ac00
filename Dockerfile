# ops-assistant, container image variant (cdk deploy -c packaging=image).
# One image serves the three functions; each function's CMD picks its handler:
#   handlers/alarm.handler, handlers/events.handler, handlers/api.handler
# Use it when the model is too large for a layer (function + layers must stay under 250 MB
# unzipped; an image may be up to 10 GB). CDK builds it for the function's architecture.
ARG NODE_IMAGE=public.ecr.aws/lambda/nodejs:22

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# onnxruntime-node's install script downloads GPU files; the CPU binaries ship in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip npm_config_onnxruntime_node_install=skip
COPY package.json package-lock.json ./
# --ignore-scripts: the dependencies' install scripts stay off as package.json's allowScripts
# says (the image's npm may predate it), and the package's own `prepare` (the CLI's dist/, which
# needs the sources, not copied yet) is not needed: the handlers are bundled below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY functions ./functions
COPY layers ./layers
COPY models ./models
COPY scripts ./scripts
COPY knowledge-base ./knowledge-base
# Same bundle settings as the zip packaging (infra/lib/ops-function.ts): ESM, AWS SDK from the
# runtime, the ONNX runtime / transformers.js / sharp from node_modules next to the handlers.
RUN npx esbuild functions/handlers/alarm.ts functions/handlers/events.ts functions/handlers/api.ts \
      --bundle --platform=node --format=esm --target=node22 --minify --sourcemap \
      --main-fields=module,main --outdir=/out/handlers --out-extension:.js=.mjs \
      --external:@aws-sdk/* --external:@huggingface/transformers --external:onnxruntime-node \
      --external:onnxruntime-common --external:sharp \
      "--banner:js=import { createRequire as __opsCreateRequire } from 'node:module'; const require = __opsCreateRequire(import.meta.url);"
# The runbook index, prebuilt so a cold start does not chunk and index the runbooks.
RUN npx tsx scripts/build-runbook-index.ts --kb knowledge-base --out /out/handlers/runbook-index.json
# The layer builder keeps only this platform's native binaries and the model files.
RUN ARCH="$(uname -m)" && if [ "$ARCH" = "aarch64" ]; then ARCH=arm64; fi \
    && npx tsx layers/build-onnx-layer.ts --arch "$ARCH" --out /out/layer --no-zip \
    && mkdir -p /out/layer/models

FROM ${NODE_IMAGE}
COPY --from=build /out/layer/nodejs/node_modules ${LAMBDA_TASK_ROOT}/node_modules
COPY --from=build /out/layer/models /opt/models
COPY --from=build /out/handlers ${LAMBDA_TASK_ROOT}/handlers
COPY knowledge-base ${LAMBDA_TASK_ROOT}/handlers/knowledge-base
CMD ["handlers/alarm.handler"]
