// The KubeArmor Alert / Log fields, as karmor and the relay name them (PascalCase = the proto names).
// Field numbers live in the gRPC .proto; here we only need names and kinds.

export type FieldKind = 'string' | 'int' | 'int64' | 'tags' | 'owner' | 'exec' | 'map';

export const knownFields: Record<string, FieldKind> = {
	Timestamp: 'int64',
	UpdatedTime: 'string',
	ClusterName: 'string',
	HostName: 'string',
	NamespaceName: 'string',
	Owner: 'owner',
	PodName: 'string',
	Labels: 'string',
	ContainerID: 'string',
	ContainerName: 'string',
	ContainerImage: 'string',
	HostPPID: 'int',
	HostPID: 'int',
	PPID: 'int',
	PID: 'int',
	UID: 'int',
	ParentProcessName: 'string',
	ProcessName: 'string',
	PolicyName: 'string',
	Severity: 'string',
	Tags: 'string',
	ATags: 'tags',
	Message: 'string',
	Type: 'string',
	Source: 'string',
	Operation: 'string',
	Resource: 'string',
	Data: 'string',
	EventData: 'map',
	Enforcer: 'string',
	Action: 'string',
	Result: 'string',
	Cwd: 'string',
	TTY: 'string',
	MaxAlertsPerSec: 'int',
	DroppingAlertsInterval: 'int',
	ExecEvent: 'exec',
	KubeArmorVersion: 'string',
	NodeID: 'string',
	ProcessHash: 'string',
	ParentHash: 'string',
	ResourceHash: 'string',
	HashAlgo: 'string',
	UserName: 'string',
};

/** Fields karmor prints even when zero. */
export const alwaysPresent = new Set(['PPID', 'UID']);

/**
 * Lower-cased key -> canonical name. The daemon's log file writes camelCase (`hostPPid`, `namespaceName`,
 * `atags`); lower-casing both sides maps every spelling of a known field onto one name.
 */
export const canonicalName = new Map<string, string>(
	Object.keys(knownFields).map(name => [name.toLowerCase(), name]),
);

export const alertTypes = new Set(['MatchedPolicy', 'MatchedHostPolicy', 'MatchedNetworkPolicy', 'SystemEvent']);
export const logTypes = new Set(['ContainerLog', 'HostLog']);

export const operations = [
	'Process',
	'File',
	'Network',
	'Syscall',
	'Capabilities',
	'NetworkFirewall',
	'Device',
	'AlertThreshold',
] as const;

export const actions = ['Block', 'Audit', 'Allow', 'Audit (Block)', 'Audit (Allow)', 'Remove'] as const;
