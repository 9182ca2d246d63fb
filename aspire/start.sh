#!/usr/bin/env bash
# Starts the whole stack on a fresh machine: installs what is missing, then runs the AppHost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash aspire/install-prerequisites.sh
exec dotnet run --project aspire/MlPlatform.AppHost "$@"
