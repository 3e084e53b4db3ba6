// Kubernetes names a Deployment's pods `<name>-<pod-template-hash>-<random>`, a DaemonSet's or Job's
// `<name>-<random>`, a CronJob's `<name>-<scheduled minute>-<random>` and a StatefulSet's `<name>-<ordinal>`.
// The generated parts come from an alphabet without vowels and without 0, 1 and 3 (apimachinery's
// SafeEncodeString), which is what tells them from a name's own words: `web-front` keeps its `front`.

const safe = '[bcdfghjklmnpqrstvwxz2456789]';
const randomSuffix = new RegExp(`-${safe}{5}$`);
const templateHash = new RegExp(`-${safe}{6,10}$`);
const scheduledMinute = /-\d{8,10}$/;
const ordinal = /-\d+$/;

/** The workload a pod belongs to: its name without the suffixes Kubernetes generated. */
export function podWorkload(podName: string): string {
	if (randomSuffix.test(podName)) {
		const base = podName.slice(0, -6);
		if (templateHash.test(base)) return base.replace(templateHash, '');
		if (scheduledMinute.test(base)) return base.replace(scheduledMinute, '');
		return base;
	}

	if (ordinal.test(podName)) return podName.replace(ordinal, '');
	return podName;
}
