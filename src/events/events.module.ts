import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventRecord } from './event.entity';
import { EventsRecorder } from './events-recorder';
import { EventsRepository } from './events.repository';

/** The events outbox: every module that causes an event records it through {@link EventsRecorder}. */
@Module({
  imports: [TypeOrmModule.forFeature([EventRecord])],
  providers: [EventsRecorder, EventsRepository],
  exports: [EventsRecorder, EventsRepository],
})
export class EventsModule {}
