/**
 * A project ready to receive SQAI's signed deliveries: DEMO connected, its delivery secret created,
 * and a generation waiting on DEMO-3. Shared by the web trigger's tests.
 */
import type { GenerationDto, RotatedDeliverySecretDto } from '../../../src/api';
import { data, demoSettings } from '../demo-settings';
import { createWorld, DEMO, type World } from '../world';

/** The install context Forge passes to the web trigger of the demo site. */
export const DEMO_INSTALL = { installContext: `ari:cloud:jira::site/${DEMO.cloudId}` };

export interface DeliverySetup {
  world: World;
  secret: string;
  url: string;
  generation: GenerationDto;
}

export async function deliverySetup(
  input: { testTypes: string[]; maxTests: number } = { testTypes: ['Manual', 'Cucumber'], maxTests: 5 },
): Promise<DeliverySetup> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  const rotated = data(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
  const generation = data(await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3'));
  return { world, secret: rotated.secret, url: rotated.url ?? '', generation };
}
