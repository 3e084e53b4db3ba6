/** One connected client as `GET /healthz` shows it. */
export type ClientHealth = {
	id: number;
	/** Remote address and port. */
	remote: string;
	connectedSeconds: number;
	/** Whether the client asked for a filter (the query itself is not shown). */
	filtered: boolean;
	/** Events written to this client's socket. */
	sent: number;
	/** Events dropped because this client read too slowly. */
	dropped: number;
	/** Events waiting in this client's queue. */
	queued: number;
};

/** The `GET /healthz` body. */
export type Health = {
	status: 'ok';
	uptimeSeconds: number;
	/** Events received from the source. */
	eventsIn: number;
	/** Events written to clients, summed over every client, past ones included. */
	eventsSent: number;
	/** Events dropped for slow clients, summed over every client, past ones included. */
	eventsDropped: number;
	clientCount: number;
	maxClients: number;
	clients: ClientHealth[];
};

export function healthBody(health: Health): string {
	return JSON.stringify(health) + '\n';
}
