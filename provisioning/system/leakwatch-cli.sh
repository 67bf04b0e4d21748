#!/bin/sh
# `leakwatch` on the appliance: the installed app on its own Node runtime (provisioning/install.sh).
exec /opt/leakwatch/runtime/bin/node /opt/leakwatch/app/appliance/bin/leakwatch.js "$@"
