/**
 * The state an engine shows the nodes (GatewayLike state and stateEvent, and
 * a 'state' event at each change), one home for the LinkSupervisor (one
 * link) and the LinkPool (several): a change is stamped with the gateway's
 * bind mode and the time, kept, and emitted. Time is injected.
 */
import { EventEmitter } from 'events';
import type { BindMode } from '../config/gateway-config';
import type { Clock } from './clock';
import type { GatewayState, StateEvent } from './engine-api';

export abstract class EngineState extends EventEmitter {
  /** the last state change (since: the clock's ms) */
  protected stateInfo: StateEvent;

  constructor(private readonly stateMode: BindMode, protected readonly clock: Clock) {
    super();
    this.stateInfo = { state: 'idle', mode: stateMode, since: clock.now() };
  }

  get state(): GatewayState {
    return this.stateInfo.state;
  }

  get stateEvent(): StateEvent {
    return this.stateInfo;
  }

  protected setState(e: Omit<StateEvent, 'since' | 'mode'>): void {
    this.stateInfo = { ...e, mode: this.stateMode, since: this.clock.now() };
    this.emit('state', this.stateInfo);
  }
}
