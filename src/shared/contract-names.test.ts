import { expect, it } from 'vitest';
import { events, methods } from './api.ts';
import { methodNames, topicNames } from './contract-names.ts';

it('lists exactly the methods and topics of the contract', () => {
  expect([...methodNames].sort()).toEqual(Object.keys(methods).sort());
  expect([...topicNames].sort()).toEqual(Object.keys(events).sort());
});
