/**
 * Threads waiting on a downstream's answer, read from thread dumps: no duration is printed, but
 * request threads blocked reading a database's or a service's socket say the service is slowed by
 * that peer (`slow_dependency`).
 *
 * Dumps read, by their emitters' layouts:
 * - JVM (`jstack`, `kill -3`, Spring Boot Actuator `threaddump` as text): a thread block starts at
 *   its `"name" #N …` header; it waits on a peer when a socket-read frame
 *   (`SocketInputStream.socketRead0`, `NioSocketImpl.park`/`timedRead`/`implRead`,
 *   `SocketDispatcher.read0`, `Net.poll`) has a client library's frame below it (JDBC drivers for
 *   MySQL, PostgreSQL, Oracle, SQL Server, MariaDB; MongoDB, Jedis, Lettuce, Apache HttpClient,
 *   OkHttp, the JDK HTTP clients, the AWS SDKs, Elasticsearch, Feign, Spring's RestTemplate);
 * - Go (`SIGQUIT`, `debug.Stack`, pprof `goroutine?debug=2`): a `goroutine N [IO wait, 12 minutes]:`
 *   block with a database driver's frame (lib/pq, pgx, go-sql-driver/mysql, go-redis, the MongoDB
 *   driver). Idle keep-alive readers (`net/http.(*persistConn).readLoop`) are no wait on an answer.
 * Every pattern is linear (bounded classes, literal alternations).
 */
import type { EvidenceRef, LogEvent } from '../../../model/evidence.js';
import type { Finding } from '../../../model/analysis.js';

const JVM_THREAD = /^"[^"]{1,300}"(?: #\d{1,9})?.{0,300}\b(?:prio|tid|nid)=/;
const JVM_SOCKET_READ = /^\s{0,12}at (?:java\.net\.SocketInputStream\.socketRead0?|sun\.nio\.ch\.NioSocketImpl\.(?:park|timedRead|implRead|read)|sun\.nio\.ch\.SocketDispatcher\.read0|sun\.nio\.ch\.Net\.poll)\b/;
const JVM_CLIENT = /^\s{0,12}at ((?:com\.mysql|org\.postgresql|oracle\.jdbc|com\.microsoft\.sqlserver|org\.mariadb|com\.mongodb|redis\.clients\.jedis|io\.lettuce|org\.apache\.http|org\.apache\.hc|okhttp3|sun\.net\.www\.protocol\.http|java\.net\.http|jdk\.internal\.net\.http|com\.amazonaws|software\.amazon\.awssdk|org\.elasticsearch\.client|feign|org\.springframework\.web\.client)\.[\w.$]{1,200})/;
const GO_IO_WAIT = /^goroutine \d{1,12} \[IO wait(?:, (\d{1,6}) minutes)?\]:\s*$/;
const GO_CLIENT = /^((?:github\.com\/(?:lib\/pq|jackc\/pgx|go-sql-driver\/mysql|go-redis\/redis|redis\/go-redis)|go\.mongodb\.org\/mongo-driver)(?:\/v\d{1,2})?[./][\w./()*-]{1,200})/;
const GO_IDLE = /net\/http\.\(\*persistConn\)\.readLoop/;

/** Lines of one thread block looked at, at most. */
const MAX_BLOCK = 80;

/** One waiting thread: its header and the client frame it waits in. */
interface Waiting { readonly header: EvidenceRef; readonly frame: EvidenceRef; readonly client: string }

/** The threads of the dumps in `logs` waiting on a peer's answer (see the module comment). */
export function waitingThreads(logs: readonly LogEvent[], limit = 200_000): Waiting[] {
  const rows: EvidenceRef[] = [];
  for (const log of logs) {
    const parts = log.message.split('\n');
    for (let i = 0; i < parts.length && rows.length < limit; i++) {
      const text = parts[i]!.trim();
      rows.push(log.line === undefined ? { text, source: log.source } : { text, source: log.source, line: log.line + i });
    }
  }
  const out: Waiting[] = [];
  for (let i = 0; i < rows.length; i++) {
    const head = rows[i]!.text;
    const jvm = JVM_THREAD.test(head);
    const go = !jvm && GO_IO_WAIT.exec(head);
    if (!jvm && !go) continue;
    let reading = false;
    let idle = false;
    for (let k = i + 1; k < rows.length && k <= i + MAX_BLOCK && rows[k]!.source === rows[i]!.source; k++) {
      const text = rows[k]!.text;
      if (JVM_THREAD.test(text) || /^goroutine \d/.test(text) || text.trim() === '' && go) break;
      if (jvm) {
        if (JVM_SOCKET_READ.test(text)) reading = true;
        const client = reading ? JVM_CLIENT.exec(text) : null;
        if (client) { out.push({ header: rows[i]!, frame: rows[k]!, client: client[1]!.split('.').slice(0, 3).join('.') }); break; }
      } else {
        if (GO_IDLE.test(text)) idle = true;
        const client = GO_CLIENT.exec(text);
        if (client && !idle) { out.push({ header: rows[i]!, frame: rows[k]!, client: /^[\w.-]{1,100}\/[\w.-]{1,100}\/[\w-]{1,100}/.exec(client[1]!)![0] }); break; }
      }
    }
  }
  return out;
}

/**
 * Findings for threads waiting on a peer, one per client library: `warning` from two threads
 * waiting in the same client (the requests are queued behind that peer), `info` for one.
 */
export function waitingFindings(logs: readonly LogEvent[]): Finding[] {
  const byClient = new Map<string, Waiting[]>();
  for (const w of waitingThreads(logs)) byClient.set(w.client, [...(byClient.get(w.client) ?? []), w]);
  return [...byClient.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, 3).map(([client, threads]) => ({
    analyzer: 'LatencyAnalyzer', kind: 'Call', name: '?', severity: threads.length >= 2 ? 'warning' : 'info', category: 'slow_dependency',
    message: `${threads.length} thread${threads.length === 1 ? ' is' : 's are'} waiting for an answer from a downstream (reading a socket in ${client})`,
    evidence: [threads[0]!.frame, threads[0]!.header, ...threads.slice(1, 3).map((t) => t.frame)],
  }));
}
