/**
 * One client connection: the startup handshake (SSL/GSSENC negotiation,
 * cancel requests, authentication, parameter reports), then the simple and
 * extended query protocols until the client leaves or breaks the protocol.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import { NemetonError, asNemetonError } from '../../common/errors.ts';
import type { Logger } from '../../common/log.ts';
import type { SqlColumn, SqlDescription, SqlEngine, SqlSessionContext, SqlType } from '../../planner/sql-engine.ts';
import type { PgAuthProvider } from './auth-provider.ts';
import { authenticate, isLoopback } from './authenticate.ts';
import * as msg from './backend-messages.ts';
import type { WireField } from './backend-messages.ts';
import { copyHeader, copyRowFormatter } from './copy-out.ts';
import { isBlank, planStatement, startExecution, type Execution, type StatementPlan } from './execution.ts';
import {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
  decodeBind,
  decodeExecute,
  decodeParse,
  decodeQuery,
  decodeStartup,
  decodeTarget,
  type BindMessage,
} from './frontend-messages.ts';
import { MessageReader, type FrontendMessage } from './message-reader.ts';
import { valueWriters, writeDataRow, type ValueWriter } from './row-encoder.ts';
import { allowedInFailedTransaction, sessionStatementColumns, type SessionState } from './session-commands.ts';
import { REPORTED_PARAMETERS, defaultSettings, displayName, isKnownParameter, normaliseSetting, parseDurationMs } from './session-settings.ts';
import { oidForColumn, oidForSqlType, sqlTypeForOid } from './type-oids.ts';
import { decodeBinary } from './value-binary.ts';
import { parseTextValue } from './value-text.ts';
import { ProtocolViolation, WireWriter, protocolViolation } from './wire-buffer.ts';

/** What every connection shares with the server. */
export interface ConnectionEnvironment {
  readonly engine: SqlEngine;
  readonly auth: PgAuthProvider;
  readonly secureContext: SecureContext | null;
  readonly allowTrustBeyondLoopback: boolean;
  readonly maxMessageBytes: number;
  readonly outputBatchBytes: number;
  readonly defaultQueryContext: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  /** Called once the startup packet arrived; false means the server is full (53300). */
  admit(connection: PgConnection): boolean;
  /** Called when the connection ends (admitted or not). */
  release(connection: PgConnection): void;
  /** Routes a CancelRequest to the connection holding the key. */
  cancel(processId: number, secret: number): void;
}

interface PreparedStatement {
  readonly plan: StatementPlan;
  readonly parameterOids: readonly number[];
  description: SqlDescription | null;
}

interface Portal {
  readonly statement: PreparedStatement;
  readonly parameters: readonly unknown[];
  readonly resultFormats: readonly number[];
  execution: Execution | null;
  fields: WireField[] | null;
  writers: ValueWriter[] | null;
  peeked: readonly unknown[] | null;
  finished: boolean;
  controller: AbortController | null;
}

const T = (c: string): number => c.charCodeAt(0);
const cancelledByUser = (): NemetonError =>
  new NemetonError('canceling statement due to user request', { code: 'Query cancelled', sqlState: '57014' });
const cancelledByTimeout = (): NemetonError =>
  new NemetonError('canceling statement due to statement timeout', { code: 'Query timeout', sqlState: '57014' });

/** A client connection. Create it on an accepted socket and call `run()`. */
export class PgConnection {
  readonly processId: number;
  readonly secret = randomInt(1, 0x7fffffff);
  private socket: Duplex;
  private reader: MessageReader;
  private out = new WireWriter();
  private closed = false;
  private user = '';
  private database = '';
  private state!: SessionState;
  private readonly queryContext: Record<string, unknown>;
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();
  private skipUntilSync = false;
  private running: AbortController | null = null;
  private drainWaiter: (() => void) | null = null;

  constructor(private readonly raw: Socket, private readonly env: ConnectionEnvironment, processId: number) {
    this.processId = processId;
    this.socket = raw;
    this.queryContext = { ...env.defaultQueryContext };
    this.reader = new MessageReader(raw, env.maxMessageBytes);
    raw.setNoDelay(true);
    this.watch(raw);
  }

  /** Aborts the running statement, if any (CancelRequest). */
  cancel(): void {
    this.running?.abort(cancelledByUser());
  }

  /** Ends the connection immediately, aborting any running statement. */
  destroy(): void {
    this.closed = true;
    this.running?.abort(cancelledByUser());
    this.socket.destroy();
    this.raw.destroy();
  }

  /** Serves the connection until it ends; never rejects. */
  async run(): Promise<void> {
    try {
      const startup = await this.negotiate();
      if (!startup) return;
      if (!this.env.admit(this)) {
        await this.fatal(new NemetonError('sorry, too many clients already', { code: 'Query capacity exceeded', sqlState: '53300' }));
        return;
      }
      if (!(await this.startSession(startup))) return;
      await this.serve();
    } catch (e) {
      const err = asNemetonError(e);
      if (!this.closed) {
        const quiet = err instanceof ProtocolViolation || err.sqlState.startsWith('28');
        (quiet ? this.env.log.info : this.env.log.warn)(`connection ${this.processId}: ${err.message}`);
        await this.fatal(err);
      }
    } finally {
      this.closed = true;
      this.running?.abort(cancelledByUser());
      await this.closeAllPortals();
      this.socket.destroy();
      this.env.release(this);
    }
  }

  // ---- output ----------------------------------------------------------------------------------

  private watch(stream: Duplex): void {
    stream.on('drain', () => this.wakeDrain());
    stream.on('close', () => {
      this.closed = true;
      this.running?.abort(cancelledByUser());
      this.wakeDrain();
    });
    stream.on('error', () => undefined);
  }

  private wakeDrain(): void {
    const w = this.drainWaiter;
    this.drainWaiter = null;
    if (w) w();
  }

  /** Writes the buffered output; waits for 'drain' when the socket's buffer is full. */
  private async flush(): Promise<void> {
    if (this.out.pos === 0 || this.closed) {
      this.out.pos = 0;
      return;
    }
    const ok = this.socket.write(this.out.take());
    if (!ok && !this.closed) {
      await new Promise<void>((resolve) => {
        this.drainWaiter = resolve;
      });
    }
  }

  private async fatal(e: NemetonError): Promise<void> {
    if (this.closed) return;
    msg.errorResponse(this.out, e, 'FATAL');
    await this.flush();
    this.closed = true;
    this.socket.end();
  }

  // ---- startup ---------------------------------------------------------------------------------

  /** Handles SSLRequest/GSSENCRequest/CancelRequest; returns the StartupMessage parameters. */
  private async negotiate(): Promise<Map<string, string> | null> {
    for (;;) {
      const body = await this.reader.readStartup();
      if (body === null) return null;
      const packet = decodeStartup(body);
      if (packet.code === CANCEL_REQUEST_CODE) {
        const key = packet.cancelKey!;
        this.env.cancel(key.processId, key.secret);
        this.closed = true;
        return null;
      }
      if (packet.code === SSL_REQUEST_CODE) {
        if (this.socket instanceof TLSSocket) throw protocolViolation('SSLRequest on an encrypted connection');
        if (this.reader.bufferedBytes > 0) throw protocolViolation('received unencrypted data after SSL request');
        if (this.env.secureContext === null) {
          this.socket.write(Buffer.from('N'));
          continue;
        }
        this.socket.write(Buffer.from('S'));
        this.reader.detach();
        const secure = new TLSSocket(this.raw, { isServer: true, secureContext: this.env.secureContext });
        this.socket = secure;
        this.reader = new MessageReader(secure, this.env.maxMessageBytes);
        this.watch(secure);
        continue;
      }
      if (packet.code === GSSENC_REQUEST_CODE) {
        if (this.reader.bufferedBytes > 0) throw protocolViolation('received unencrypted data after GSSENC request');
        this.socket.write(Buffer.from('N'));
        continue;
      }
      const major = packet.code >> 16;
      const minor = packet.code & 0xffff;
      if (major !== 3) {
        throw new NemetonError(`unsupported frontend protocol ${major}.${minor}: server supports 3.0`, { code: 'Unsupported operation', sqlState: '0A000' });
      }
      const unknownOptions = [...packet.parameters.keys()].filter((k) => k.startsWith('_pq_.'));
      if (minor > 0 || unknownOptions.length > 0) msg.negotiateProtocolVersion(this.out, 0, unknownOptions);
      return packet.parameters;
    }
  }

  /** Authenticates and sends the parameter reports; false when the client left. */
  private async startSession(params: Map<string, string>): Promise<boolean> {
    const user = params.get('user');
    if (!user) throw new NemetonError('no PostgreSQL user name specified in startup packet', { code: 'Forbidden', sqlState: '28000' });
    this.user = user;
    this.database = params.get('database') || user;
    const remoteAddress = this.raw.remoteAddress ?? '';
    await authenticate(
      {
        send: async (build) => {
          build(this.out);
          await this.flush();
        },
        read: () => this.reader.read(),
      },
      this.env.auth,
      { user, database: this.database, remoteAddress, loopback: isLoopback(remoteAddress), tls: this.socket instanceof TLSSocket },
      this.env.allowTrustBeyondLoopback,
    );
    const superuser = this.env.auth.isSuperuser?.(user) ?? false;
    const defaults = defaultSettings(user, superuser);
    if (this.socket instanceof TLSSocket) defaults.set('ssl', 'on');
    this.state = { settings: new Map(defaults), queryContext: this.queryContext, defaults, transaction: 'I' };
    this.applyStartupParameters(params);
    msg.authentication(this.out, 0);
    for (const name of REPORTED_PARAMETERS) msg.parameterStatus(this.out, displayName(name), this.state.settings.get(name) ?? '');
    msg.backendKeyData(this.out, this.processId, this.secret);
    msg.readyForQuery(this.out, 'I');
    await this.flush();
    return !this.closed;
  }

  private applyStartupParameters(params: Map<string, string>): void {
    const apply = (name: string, value: string): void => {
      const lower = name.toLowerCase();
      if (!isKnownParameter(lower)) return;
      try {
        this.state.settings.set(lower, normaliseSetting(lower, value));
      } catch {
        // Startup values we cannot honour (e.g. another client_encoding) keep their defaults.
      }
    };
    for (const [name, value] of params) {
      if (name === 'user' || name === 'database' || name === 'replication') continue;
      if (name === 'options') {
        for (const m of value.matchAll(/(?:-c\s*|--)([\w.]+)=((?:\\.|[^\s\\])*)/g)) apply(m[1], m[2].replace(/\\(.)/g, '$1'));
        continue;
      }
      apply(name, value);
    }
  }

  // ---- message loop ----------------------------------------------------------------------------

  private async serve(): Promise<void> {
    for (;;) {
      const m = await this.reader.read();
      if (m === null || this.closed) return;
      if (this.skipUntilSync && m.type !== T('S') && m.type !== T('X')) continue;
      try {
        if (!(await this.dispatch(m))) return;
      } catch (e) {
        const err = this.errorFor(e, null);
        if (err instanceof ProtocolViolation) throw err;
        await this.reportError(err, true);
      }
    }
  }

  /** Handles one message; false when the connection should end. */
  private async dispatch(m: FrontendMessage): Promise<boolean> {
    switch (m.type) {
      case 0x51: // Q
        await this.simpleQuery(decodeQuery(m.body));
        return true;
      case 0x50: // P
        this.parse(m.body);
        return true;
      case 0x42: // B
        await this.bind(decodeBind(m.body));
        return true;
      case 0x44: // D
        await this.describe(m.body);
        return true;
      case 0x45: // E
        await this.execute(m.body);
        return true;
      case 0x43: // C
        await this.close(m.body);
        return true;
      case 0x53: // S
        if (m.body.length !== 0) throw protocolViolation('invalid Sync message');
        await this.sync();
        return true;
      case 0x48: // H
        await this.flush();
        return true;
      case 0x58: // X
        return false;
      case 0x64: case 0x63: case 0x66: // CopyData, CopyDone, CopyFail outside COPY FROM: ignored as PostgreSQL does
        return true;
      default:
        throw protocolViolation(`invalid frontend message type ${m.type}`);
    }
  }

  private errorFor(e: unknown, controller: AbortController | null): NemetonError {
    if (controller?.signal.aborted && controller.signal.reason instanceof NemetonError) return controller.signal.reason;
    return asNemetonError(e);
  }

  /** Sends an ErrorResponse; in extended mode, ignores messages until Sync. */
  private async reportError(e: NemetonError, extended: boolean): Promise<void> {
    msg.errorResponse(this.out, e);
    if (this.state.transaction === 'T') this.state.transaction = 'E';
    if (extended) this.skipUntilSync = true;
    // Sent with the next flush: ReadyForQuery, Flush, or a full output batch.
  }

  private sessionContext(signal: AbortSignal): SqlSessionContext {
    return { queryContext: this.queryContext, user: this.user, database: this.database, settings: this.state.settings, signal };
  }

  /** A fresh abort controller for one statement, armed with statement_timeout. */
  private beginStatement(): { controller: AbortController; done: () => void } {
    const controller = new AbortController();
    this.running = controller;
    const timeoutMs = parseDurationMs(this.state.settings.get('statement_timeout') ?? '0') ?? 0;
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(cancelledByTimeout()), timeoutMs) : null;
    return {
      controller,
      done: () => {
        if (timer) clearTimeout(timer);
        if (this.running === controller) this.running = null;
      },
    };
  }

  private checkTransaction(plan: StatementPlan): void {
    if (this.state.transaction === 'E' && !allowedInFailedTransaction(plan.session)) {
      throw new NemetonError('current transaction is aborted, commands ignored until end of transaction block', {
        code: 'Invalid input',
        sqlState: '25P02',
      });
    }
  }

  private afterSessionOutcome(exec: Execution): void {
    const outcome = exec.outcome;
    if (!outcome) return;
    if (outcome.warning) {
      msg.errorResponse(this.out, new NemetonError(outcome.warning, { sqlState: '25001' }), 'WARNING', 'N');
    }
    for (const name of outcome.changed ?? []) {
      if (REPORTED_PARAMETERS.includes(name)) msg.parameterStatus(this.out, displayName(name), this.state.settings.get(name) ?? '');
    }
    if (outcome.discardAll) {
      this.statements.clear();
      void this.closeAllPortals();
    }
  }

  // ---- simple query ----------------------------------------------------------------------------

  private async simpleQuery(sql: string): Promise<void> {
    const statements = isBlank(sql) ? [] : this.env.engine.splitStatements(sql).filter((s) => !isBlank(s));
    if (statements.length === 0) msg.emptyQueryResponse(this.out);
    for (const text of statements) {
      const { controller, done } = this.beginStatement();
      let exec: Awaited<ReturnType<typeof startExecution>> | null = null;
      try {
        const plan = planStatement(text);
        this.checkTransaction(plan);
        exec = await startExecution(plan, [], this.env.engine, this.sessionContext(controller.signal), this.state);
        const portal: Portal = {
          statement: { plan, parameterOids: [], description: null },
          parameters: [],
          resultFormats: [],
          execution: exec,
          fields: null,
          writers: null,
          peeked: null,
          finished: false,
          controller,
        };
        if (exec.copy) {
          await this.streamCopy(portal, exec, controller.signal);
        } else {
          if (exec.columns) this.describePortalRows(portal, exec.columns);
          await this.streamRows(portal, 0, controller.signal);
        }
      } catch (e) {
        // Close the row source so a streaming scan stops at once (error, cancel, disconnect).
        await exec?.rows?.return?.()?.catch(() => undefined);
        done();
        await this.reportError(this.errorFor(e, controller), false);
        break;
      }
      done();
    }
    msg.readyForQuery(this.out, this.state.transaction);
    await this.flush();
  }

  // ---- row streaming ---------------------------------------------------------------------------

  private describePortalRows(portal: Portal, columns: readonly SqlColumn[]): void {
    const formats = portal.resultFormats;
    if (formats.length > 1 && formats.length !== columns.length) {
      throw new NemetonError(`bind message has ${formats.length} result formats but query has ${columns.length} columns`, {
        code: 'Invalid input',
        sqlState: '08P01',
      });
    }
    const fields = columns.map((c, i) => ({
      name: c.name,
      typeOid: oidForColumn(c),
      format: formats.length === 0 ? 0 : formats.length === 1 ? formats[0] : formats[i],
    }));
    portal.fields = fields;
    portal.writers = valueWriters(fields);
    msg.rowDescription(this.out, fields);
  }

  /** Sends up to `maxRows` rows (0 = all), then CommandComplete or PortalSuspended. */
  private async streamRows(portal: Portal, maxRows: number, signal: AbortSignal): Promise<void> {
    const exec = portal.execution!;
    const it = exec.rows;
    let sent = 0;
    if (it && !portal.finished) {
      const writers = portal.writers ?? valueWriters((portal.fields = this.textFields(exec.columns ?? [], portal.resultFormats)));
      portal.writers = writers;
      const batch = this.env.outputBatchBytes;
      for (;;) {
        if (signal.aborted) throw signal.reason;
        if (this.closed) throw cancelledByUser();
        let row: readonly unknown[];
        if (portal.peeked) {
          row = portal.peeked;
          portal.peeked = null;
        } else {
          const r = await it.next();
          if (r.done) break;
          row = r.value;
        }
        if (maxRows > 0 && sent === maxRows) {
          portal.peeked = row;
          msg.portalSuspended(this.out);
          return;
        }
        writeDataRow(this.out, writers, row);
        sent++;
        if (this.out.pos >= batch) await this.flush();
      }
    }
    portal.finished = true;
    msg.commandComplete(this.out, exec.tag(sent));
    this.afterSessionOutcome(exec);
  }

  private textFields(columns: readonly SqlColumn[], formats: readonly number[]): WireField[] {
    return columns.map((c, i) => ({
      name: c.name,
      typeOid: oidForColumn(c),
      format: formats.length === 0 ? 0 : formats.length === 1 ? formats[0] : (formats[i] ?? 0),
    }));
  }

  private async streamCopy(portal: Portal, exec: Execution, signal: AbortSignal): Promise<void> {
    const copy = exec.copy!;
    const columns = exec.columns ?? [];
    const format = copyRowFormatter(copy, columns.map((c) => oidForColumn(c)));
    msg.copyOutResponse(this.out, columns.length);
    const data = (text: string): void => {
      const at = this.out.begin(T('d'));
      this.out.utf8(text);
      this.out.end(at);
    };
    if (copy.header) data(copyHeader(copy, columns.map((c) => c.name)));
    let sent = 0;
    const it = exec.rows!;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (this.closed) throw cancelledByUser();
      const r = await it.next();
      if (r.done) break;
      data(format(r.value));
      sent++;
      if (this.out.pos >= this.env.outputBatchBytes) await this.flush();
    }
    msg.copyDone(this.out);
    msg.commandComplete(this.out, exec.tag(sent));
    portal.finished = true;
  }

  // ---- extended query --------------------------------------------------------------------------

  private parse(body: Buffer): void {
    const p = decodeParse(body);
    if (p.statement !== '' && this.statements.has(p.statement)) {
      throw new NemetonError(`prepared statement "${p.statement}" already exists`, { code: 'Invalid input', sqlState: '42P05' });
    }
    const plan = planStatement(p.sql);
    if (!plan.empty && !plan.session && !plan.copy && this.env.engine.splitStatements(p.sql).filter((s) => !isBlank(s)).length > 1) {
      throw new NemetonError('cannot insert multiple commands into a prepared statement', { code: 'SQL parse failed', sqlState: '42601' });
    }
    this.statements.set(p.statement, { plan, parameterOids: p.parameterOids, description: null });
    msg.parseComplete(this.out);
  }

  private statement(name: string): PreparedStatement {
    const s = this.statements.get(name);
    if (!s) throw new NemetonError(`prepared statement "${name}" does not exist`, { code: 'Invalid input', sqlState: '26000' });
    return s;
  }

  private portal(name: string): Portal {
    const p = this.portals.get(name);
    if (!p) throw new NemetonError(`portal "${name}" does not exist`, { code: 'Invalid input', sqlState: '34000' });
    return p;
  }

  /** The engine's description of a statement, computed once per prepared statement. */
  private async description(s: PreparedStatement): Promise<SqlDescription> {
    if (s.description) return s.description;
    if (s.plan.empty || s.plan.copy) {
      s.description = { columns: [], parameterTypes: [], returnsRows: false };
    } else if (s.plan.session) {
      const columns = sessionStatementColumns(s.plan.session);
      s.description = { columns: columns ?? [], parameterTypes: [], returnsRows: columns !== null };
    } else {
      const { controller, done } = this.beginStatement();
      try {
        s.description = await this.env.engine.describe(s.plan.sql, this.sessionContext(controller.signal));
      } finally {
        done();
      }
    }
    return s.description;
  }

  private async bind(b: BindMessage): Promise<void> {
    const s = this.statement(b.statement);
    if (b.portal !== '' && this.portals.has(b.portal)) {
      throw new NemetonError(`portal "${b.portal}" already exists`, { code: 'Invalid input', sqlState: '42P03' });
    }
    const needsTypes = b.values.some((v, i) => v !== null && !(s.parameterOids[i] > 0 && sqlTypeForOid(s.parameterOids[i])));
    const described = needsTypes ? await this.description(s) : s.description;
    const expected = Math.max(s.parameterOids.length, described?.parameterTypes.length ?? 0);
    if ((s.parameterOids.length > 0 || described) && b.values.length !== expected) {
      throw new NemetonError(`bind message supplies ${b.values.length} parameters, but prepared statement "${b.statement}" requires ${expected}`, {
        code: 'Invalid input',
        sqlState: '08P01',
      });
    }
    const parameters = b.values.map((v, i) => {
      if (v === null) return null;
      const format = b.parameterFormats.length === 0 ? 0 : b.parameterFormats.length === 1 ? b.parameterFormats[0] : b.parameterFormats[i];
      const declared = s.parameterOids[i] ?? 0;
      const type: SqlType = sqlTypeForOid(declared) ?? described?.parameterTypes[i] ?? 'VARCHAR';
      if (format === 1) return decodeBinary(declared > 0 && sqlTypeForOid(declared) ? declared : oidForSqlType(type), v);
      return parseTextValue(type, v.toString('utf8'));
    });
    await this.closePortal(b.portal);
    this.portals.set(b.portal, {
      statement: s,
      parameters,
      resultFormats: b.resultFormats,
      execution: null,
      fields: null,
      writers: null,
      peeked: null,
      finished: false,
      controller: null,
    });
    msg.bindComplete(this.out);
  }

  private async describe(body: Buffer): Promise<void> {
    const target = decodeTarget(body, 'Describe');
    if (target.kind === 'S') {
      const s = this.statement(target.name);
      const d = await this.description(s);
      const count = Math.max(s.parameterOids.length, d.parameterTypes.length);
      const oids: number[] = [];
      for (let i = 0; i < count; i++) {
        const declared = s.parameterOids[i] ?? 0;
        oids.push(declared > 0 ? declared : oidForSqlType(d.parameterTypes[i] ?? 'VARCHAR'));
      }
      msg.parameterDescription(this.out, oids);
      if (d.returnsRows && d.columns.length > 0) msg.rowDescription(this.out, this.textFields(d.columns, []));
      else msg.noData(this.out);
      return;
    }
    const p = this.portal(target.name);
    const plan = p.statement.plan;
    if (plan.empty || plan.copy) {
      msg.noData(this.out);
      return;
    }
    if (plan.session) {
      const columns = sessionStatementColumns(plan.session);
      if (columns) this.describePortalRows(p, columns);
      else msg.noData(this.out);
      return;
    }
    // Engine statements start here, so RowDescription and the rows come from one plan.
    await this.ensureStarted(p);
    const exec = p.execution!;
    if (exec.columns) this.describePortalRows(p, exec.columns);
    else msg.noData(this.out);
  }

  private async ensureStarted(p: Portal): Promise<void> {
    if (p.execution) return;
    this.checkTransaction(p.statement.plan);
    const { controller, done } = this.beginStatement();
    p.controller = controller;
    try {
      p.execution = await startExecution(p.statement.plan, p.parameters, this.env.engine, this.sessionContext(controller.signal), this.state);
    } catch (e) {
      throw this.errorFor(e, controller);
    } finally {
      done();
    }
  }

  private async execute(body: Buffer): Promise<void> {
    const e = decodeExecute(body);
    const p = this.portal(e.portal);
    if (p.statement.plan.empty) {
      msg.emptyQueryResponse(this.out);
      return;
    }
    try {
      if (!p.execution) this.checkTransaction(p.statement.plan);
      await this.ensureStarted(p);
      const controller = p.controller ?? new AbortController();
      this.running = controller;
      const exec = p.execution!;
      try {
        if (exec.copy) await this.streamCopy(p, exec, controller.signal);
        else {
          if (!p.fields && exec.columns) p.fields = this.textFields(exec.columns, p.resultFormats);
          await this.streamRows(p, e.maxRows, controller.signal);
        }
      } finally {
        if (this.running === controller) this.running = null;
      }
    } catch (err) {
      const error = this.errorFor(err, p.controller);
      await this.closePortal(e.portal);
      throw error;
    }
  }

  private async close(body: Buffer): Promise<void> {
    const target = decodeTarget(body, 'Close');
    if (target.kind === 'S') this.statements.delete(target.name);
    else await this.closePortal(target.name);
    msg.closeComplete(this.out);
  }

  private async sync(): Promise<void> {
    this.skipUntilSync = false;
    if (this.state.transaction === 'I') await this.closeAllPortals();
    else await this.closePortal('');
    msg.readyForQuery(this.out, this.state.transaction);
    await this.flush();
  }

  private async closePortal(name: string): Promise<void> {
    const p = this.portals.get(name);
    if (!p) return;
    this.portals.delete(name);
    if (!p.finished) {
      try {
        await p.execution?.rows?.return?.();
      } catch {
        // The engine's cleanup failing must not break the session.
      }
    }
  }

  private async closeAllPortals(): Promise<void> {
    for (const name of [...this.portals.keys()]) await this.closePortal(name);
  }
}
