/**
 * What SQAI sends to the delivery web trigger (docs/sqai-contract.md "Deliveries"): the Standard
 * Webhooks headers and a body in the standard's recommended shape `{type, timestamp, data}`. These
 * zod schemas are the one source of the contract: the handler parses with them and the OpenAPI
 * `webhooks` entry is generated from them.
 */
import { z } from 'zod';
import { SQAI_LIMITS, UPDATE_LIMITS } from '../clients/sqai-schemas';

/** The event types the app handles; any other well-formed type is answered 200 and ignored. */
export const DELIVERY_EVENT_TYPES = ['generation.succeeded', 'generation.failed'] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

/**
 * `webhook-id`: the delivery's id, the same on every retry of it. Plain ASCII without ".", which
 * separates the signed parts (the standard forbids it), and short, so the remembered ids of a
 * project fit one stored value.
 */
export const webhookIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:-]{8,100}$/, 'A webhook-id is 8–100 letters, digits, "_", ":" or "-".')
  .meta({
    description: 'The delivery id, unchanged across retries; the app de-duplicates on it.',
    example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  });

/** The three Standard Webhooks request headers (names lower-case, as HTTP/2 sends them). */
export const deliveryHeadersSchema = z.object({
  'webhook-id': webhookIdSchema,
  'webhook-timestamp': z
    .string()
    .regex(/^\d{1,12}$/, 'Unix seconds.')
    .meta({
      description:
        'Unix seconds of this attempt (each retry is signed anew); at most 5 minutes from the app’s clock.',
      example: '1764849600',
    }),
  'webhook-signature': z.string().min(1).max(1_000).meta({
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`, one per valid secret (two during a rotation).',
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  }),
});

/** A full-stop delimited event type (the standard's recommendation). */
export const eventTypeSchema = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'An event type is full-stop delimited [A-Za-z0-9_] names.');

/** Every body: read first, so that an event type the app does not know can be ignored. */
export const deliveryEnvelopeSchema = z
  .object({
    type: eventTypeSchema,
    timestamp: z.iso
      .datetime({ offset: true })
      .meta({ description: 'When the generation finished (not when this attempt was sent).' }),
    data: z.unknown(),
  })
  .loose();

const generationRef = {
  id: z.string().min(1).max(100),
  cloudId: z.string().min(1).max(100),
  issueId: z.string().regex(/^\d{1,18}$/),
  issueKey: z.string().max(50),
};

export const generationSucceededSchema = z
  .object({
    type: z.literal('generation.succeeded'),
    timestamp: deliveryEnvelopeSchema.shape.timestamp,
    data: z
      .object({
        ...generationRef,
        status: z.literal('succeeded').optional(),
        tests: z.array(z.unknown()).max(SQAI_LIMITS.testsPerGeneration).meta({
          description: 'Generated tests as in GET /v1/generations/{id}; each is validated on its own.',
        }),
        updates: z.array(z.unknown()).max(UPDATE_LIMITS.tests).nullish().meta({
          description:
            'Since 1.3.0, for an update-mode generation: test updates as in GET /v1/generations/{id}; each is validated on its own.',
        }),
      })
      .loose(),
  })
  .loose();

export const generationFailedSchema = z
  .object({
    type: z.literal('generation.failed'),
    timestamp: deliveryEnvelopeSchema.shape.timestamp,
    data: z
      .object({
        ...generationRef,
        status: z.literal('failed').optional(),
        error: z.string().max(1_000).nullish(),
      })
      .loose(),
  })
  .loose();

/** A delivery the app acts on. */
export const deliverySchema = z.discriminatedUnion('type', [
  generationSucceededSchema,
  generationFailedSchema,
]);
export type Delivery = z.infer<typeof deliverySchema>;

/** The body of every answer of the web trigger. */
export const deliveryAnswerSchema = z.object({
  status: z.enum(['accepted', 'duplicate', 'already received', 'ignored']).optional(),
  error: z.string().optional(),
  code: z.string().optional(),
});
