import { simulate } from './simulate.js';
import type { Simulation, SimulationOptions } from './simulate.js';
import { attackerWorld } from './world.js';
import type { AttackerWorld } from './world.js';

/**
 * Two labs hit by the same adversary: one {@link AttackerWorld} (the same proxies, templates, payment sources,
 * scheduler) plants its campaigns in both, each lab with its own benign population and its own account ids. What lab
 * A detects and shares is what lab B must find in its own traffic.
 */

/** Options of {@link simulateTwoLabs}. */
export interface TwoLabOptions extends Omit<SimulationOptions, 'seed' | 'world' | 'lab'> {
  /** Seed of the adversary; each lab's population is seeded from it and the lab's name. */
  readonly seed: string;
  /** Lab names (default `lab-a`, `lab-b`). */
  readonly labs?: readonly [string, string];
}

/** Both labs' simulations and the adversary they share. */
export interface TwoLabSimulation {
  readonly world: AttackerWorld;
  readonly a: Simulation;
  readonly b: Simulation;
}

/** Simulates two labs' telemetry with the same campaigns in both. */
export function simulateTwoLabs(options: TwoLabOptions): TwoLabSimulation {
  const { seed, labs = ['lab-a', 'lab-b'], ...rest } = options;
  const world = attackerWorld(seed);
  return {
    world,
    a: simulate({ ...rest, seed: `${seed}/${labs[0]}`, lab: labs[0], world }),
    b: simulate({ ...rest, seed: `${seed}/${labs[1]}`, lab: labs[1], world }),
  };
}
