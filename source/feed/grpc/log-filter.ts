// karmor's --logFilter, apart from the gRPC feed so that reading the command line does not load grpc-js.

/** policy: alerts (WatchAlerts); system: logs (WatchLogs); all: both. */
export type LogFilter = 'policy' | 'system' | 'all';

export const logFilters: readonly LogFilter[] = ['policy', 'system', 'all'];
