import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** `GET /docs` (UI) and `GET /docs/json`: OpenAPI for every route, built from the validating schemas. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('aigw — AI gateway')
    .setDescription(
      'OpenAI- and Anthropic-compatible endpoints in front of every configured provider, with exact per-call costs; and the admin API.',
    )
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'A virtual key (sk-gw-...) or, on /admin, ADMIN_API_KEY',
    })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'x-api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
