import { Global, Module } from '@nestjs/common';
import { AlertDestinations } from './alert-destinations.js';
import { BudgetAlerts } from './budget-alerts.js';

/** Budget alerts (webhooks), injected into the AI module's budget interceptor. */
@Global()
@Module({ providers: [AlertDestinations, BudgetAlerts], exports: [AlertDestinations, BudgetAlerts] })
export class AlertsModule {}
