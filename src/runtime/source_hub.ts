/**
 * Source instances. A non-shared stream gets one source instance per rule (eKuiper's model);
 * a `SHARED="true"` stream has one instance whose messages fan out to every attached rule's
 * buffer. Connections themselves are pooled below this level (one MQTT client per broker).
 */
import type { RawMessage, Source, SourceContext, SourceProps, SourceSpec } from "../io/types.ts";
import type { Logger } from "../log.ts";
import { errorMessage } from "../errors.ts";
import type { SourceInput } from "./source_input.ts";
import { SharedFanout } from "./shared_fanout.ts";

interface Instance {
  source: Source;
  fanout: SharedFanout;
  opened: Promise<void>;
}

export interface Attachment {
  detach(): Promise<void>;
}

export class SourceHub {
  private readonly shared = new Map<string, Instance>();

  constructor(private readonly logger: Logger) {}

  attach(
    spec: SourceSpec,
    props: SourceProps,
    opts: { ruleId: string; streamName: string; shared: boolean; input: SourceInput },
  ): Attachment {
    const key = opts.streamName;
    if (opts.shared) {
      let inst = this.shared.get(key);
      if (!inst) {
        inst = this.open(spec, props, opts.ruleId, opts.streamName, new SharedFanout());
        this.shared.set(key, inst);
      }
      inst.fanout.add(opts.input);
      const it = inst;
      return {
        detach: async () => {
          it.fanout.delete(opts.input);
          if (it.fanout.inputs.size === 0 && this.shared.get(key) === it) {
            this.shared.delete(key);
            await this.close(it);
          }
        },
      };
    }
    const fanout = new SharedFanout();
    fanout.add(opts.input);
    const inst = this.open(spec, props, opts.ruleId, opts.streamName, fanout);
    return { detach: () => this.close(inst) };
  }

  private open(
    spec: SourceSpec,
    props: SourceProps,
    ruleId: string,
    streamName: string,
    fanout: SharedFanout,
  ): Instance {
    const inputs = fanout.inputs;
    const source = spec.create(props);
    const log = this.logger.child(`source_${streamName}`);
    const ctx: SourceContext = {
      ruleId,
      streamName,
      logger: log,
      emit: (msg: RawMessage): boolean => fanout.emit(msg),
      pauseIfFull(resume: () => void): boolean {
        // The fan-out notes when an emit filled a buffer, so that this costs nothing otherwise.
        if (!fanout.filled) return false;
        fanout.filled = false;
        const full = [...inputs].filter((i) => i.buffer.isFull() && !i.stalled);
        let waiting = full.length;
        for (const input of full) input.whenRoom(() => --waiting === 0 && resume());
        return waiting > 0;
      },
      setConnectionStatus(status, message) {
        const code = status === "connected" ? 1 : status === "connecting" ? 0 : -1;
        for (const input of inputs) {
          input.metrics.connectionStatus = code;
          if (message) input.metrics.connectionMessage = message;
        }
      },
      reportError(message) {
        for (const input of inputs) input.metrics.error(message);
      },
      canEmit(): boolean {
        for (const input of inputs) if (input.buffer.isFull()) return false;
        return true;
      },
      end() {
        log.debug(`source ${streamName} reached the end of its data`);
      },
    };
    const opened = source.open(ctx).catch((e) => {
      const msg = `source ${streamName} failed to open: ${errorMessage(e)}`;
      log.error(msg);
      for (const input of inputs) input.metrics.error(msg);
    });
    return { source, fanout, opened };
  }

  private async close(inst: Instance): Promise<void> {
    await inst.opened;
    try {
      await inst.source.close();
    } catch (e) {
      this.logger.warn(`source close: ${errorMessage(e)}`);
    }
  }
}
