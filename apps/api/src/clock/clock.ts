import { type DynamicModule, Global, Module } from '@nestjs/common';

/** The app's clock (epoch ms): what budget periods and key expiry are read from. Tests move it. */
export type Clock = () => number;

/** Injection token of the Clock. */
export const CLOCK = Symbol('CLOCK');

/** Provides the clock: `Date.now`, or the one the app was built with. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = Date.now): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
