/**
 * A seeded simulator of model-API telemetry with ground truth: a benign population with hard negatives and the
 * distillation archetypes of the public reporting, for testing and benchmarking detection.
 * @packageDocumentation
 */
export { simulate, recordLine } from './simulate.js';
export type { GroundTruth, Simulation, SimulationOptions, TruthCampaign } from './simulate.js';
export { attackerWorld } from './world.js';
export type { AttackerWorld } from './world.js';
export type { Archetype, BenignKind, Actor, ActorBase, Behaviour, Moment } from './actors.js';
export { DIURNAL, benignBehaviour, poissonActor, request } from './actors.js';
export { COT_PHRASES, benignPrompt, fill, privateTemplate, taskText, variants, vocabulary } from './prompts.js';
export { Random } from './random.js';
export { simulateTwoLabs } from './two-labs.js';
export type { TwoLabOptions, TwoLabSimulation } from './two-labs.js';
